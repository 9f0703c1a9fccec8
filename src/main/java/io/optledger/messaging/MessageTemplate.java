package io.optledger.messaging;

import java.util.Locale;
import java.util.Map;

/** What a message says, in each supported locale; a workspace may override any text. */
public enum MessageTemplate {
    CONFIRMATION_REQUEST(
            "{brand}: Reply Y to confirm your subscription to {unit}. {disclosure} Msg & data rates may apply."
                    + " Reply HELP for help, STOP to cancel.",
            "{brand} : Répondez Y pour confirmer votre abonnement à {unit}. {disclosure} Des frais de messagerie"
                    + " peuvent s'appliquer. Répondez AIDE pour de l'aide, STOP pour annuler."),
    CONFIRMED(
            "{brand}: You are subscribed to {unit}. Reply HELP for help, STOP to cancel.",
            "{brand} : Vous êtes abonné à {unit}. Répondez AIDE pour de l'aide, STOP pour annuler."),
    ALREADY_SUBSCRIBED(
            "{brand}: You are already subscribed to {unit}. Reply HELP for help, STOP to cancel.",
            "{brand} : Vous êtes déjà abonné à {unit}. Répondez AIDE pour de l'aide, STOP pour annuler."),
    UNSUBSCRIBED(
            "{brand}: You are unsubscribed and will receive no more messages. Reply START to resubscribe.",
            "{brand} : Vous êtes désabonné et ne recevrez plus de messages. Répondez START pour vous réabonner."),
    HELP(
            "{brand}: For help, contact us. Reply STOP to cancel. Msg & data rates may apply.",
            "{brand} : Pour de l'aide, contactez-nous. Répondez STOP pour annuler. Des frais peuvent s'appliquer.");

    /**
     * True for the replies the carriers require whatever the number's consent: the one opt-out confirmation and the
     * help text. Every other text (a confirmation request, a subscription confirmation) is about a subscription, so a
     * STOP cancels it and the worker sends it only to an address not suppressed.
     */
    public boolean isComplianceReply() {
        return this == UNSUBSCRIBED || this == HELP;
    }

    /** The locales every template has a text in; others fall back to the first. */
    public static final String EN_US = "en-US";

    public static final String FR_CA = "fr-CA";

    private final Map<String, String> texts;

    MessageTemplate(String enUs, String frCa) {
        this.texts = Map.of(EN_US, enUs, FR_CA, frCa);
    }

    /** The built-in text for a locale, or en-US's for a locale without one. */
    String defaultText(String locale) {
        return texts.getOrDefault(supported(locale), texts.get(EN_US));
    }

    /** The supported locale a requested one stands for ({@code fr_ca}, {@code fr-CA}), or en-US. */
    public static String supported(String locale) {
        String normalised = locale.strip().replace('_', '-');
        return normalised.equalsIgnoreCase(FR_CA) ? FR_CA : EN_US;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
