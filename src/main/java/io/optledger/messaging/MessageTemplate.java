package io.optledger.messaging;

import io.optledger.contact.Channel;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a message says, in each supported locale; a workspace may override any text. A text message has one part, its
 * text; an email three, its subject, plain text and HTML, built in from {@code messaging/email/} resources.
 */
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
            "{brand} : Pour de l'aide, contactez-nous. Répondez STOP pour annuler. Des frais peuvent s'appliquer."),
    /**
     * The email asking to confirm an email double opt-in, with its confirmation link ({@code {confirmUrl}}, required in
     * the text and the HTML) and its topic's one-click unsubscribe link ({@code {unsubscribeUrl}}).
     */
    EMAIL_CONFIRMATION_REQUEST;

    /** The locales every template has a text in; others fall back to the first. */
    public static final String EN_US = "en-US";

    public static final String FR_CA = "fr-CA";

    /** The built-in texts of a text message by locale; null for an email, whose parts are resources. */
    private final @Nullable Map<String, String> texts;

    MessageTemplate(String enUs, String frCa) {
        this.texts = Map.of(EN_US, enUs, FR_CA, frCa);
    }

    MessageTemplate() {
        this.texts = null;
    }

    /** One part of a message's text. */
    public enum Part {
        /** A text message's text, or an email's plain-text body. */
        TEXT,
        /** An email's subject: one line. */
        SUBJECT,
        /** An email's HTML body; the values filled into it are HTML-escaped. */
        HTML
    }

    public boolean isEmail() {
        return texts == null;
    }

    /** The channel family it is sent on: EMAIL, or SMS (which WhatsApp shares). */
    public Channel channel() {
        return isEmail() ? Channel.EMAIL : Channel.SMS;
    }

    public List<Part> parts() {
        return isEmail() ? List.of(Part.SUBJECT, Part.TEXT, Part.HTML) : List.of(Part.TEXT);
    }

    /**
     * True for the replies the carriers require whatever the number's consent: the one opt-out confirmation and the
     * help text. Every other text (a confirmation request, a subscription confirmation) is about a subscription, so a
     * STOP cancels it and the worker sends it only to an address not suppressed.
     */
    public boolean isComplianceReply() {
        return this == UNSUBSCRIBED || this == HELP;
    }

    /** True for the requests to confirm an opt-in: cancelled when sent after the opt-in stopped pending. */
    public boolean isConfirmationRequest() {
        return this == CONFIRMATION_REQUEST || this == EMAIL_CONFIRMATION_REQUEST;
    }

    /** The placeholders a workspace's override of this part must keep, so the message still does its job. */
    public List<String> requiredPlaceholders(Part part) {
        return this == EMAIL_CONFIRMATION_REQUEST && part != Part.SUBJECT ? List.of("confirmUrl") : List.of();
    }

    /** The built-in text of a text message for a locale, or en-US's for a locale without one. */
    String defaultText(String locale) {
        if (texts == null) {
            throw new IllegalStateException(this + " is an email: its texts are resources");
        }
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
