package io.optledger.messaging;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an inbound text asks for, read from its whole body: case, accents, punctuation and polite filler words are
 * ignored ({@code "Stop."}, {@code "STOP!"}, {@code "stop please"}, {@code "Unsubscribe me"} all read as their
 * keyword), but a keyword inside a longer sentence is not one ({@code "don't stop"} is nothing). The list is in
 * docs/consent-rules.md.
 *
 * @param kind what the text asks for
 * @param text the keyword as read (its canonical spelling for a phrase such as {@code "STOP ALL"}), or the normalised
 *     body when it is none
 */
record Keyword(Kind kind, String text) {

    enum Kind {
        /** Opt out of all SMS marketing at the number. */
        OPT_OUT,
        /** Opt out, and suppress the number for every topic. */
        OPT_OUT_ALL,
        /** Undo the opt-out keywords: START and UNSTOP. */
        RESUME,
        /** Confirm a pending opt-in: Y and YES, nothing else. */
        CONFIRM,
        HELP,
        NONE
    }

    private static final Set<String> FILLER =
            Set.of("PLEASE", "PLS", "PLZ", "ME", "NOW", "THANKS", "THANK", "YOU", "THX");
    private static final Map<String, Kind> WORDS = words();
    /** Phrases read as another spelling of a keyword. */
    private static final Map<String, String> SPELLINGS = Map.of(
            "STOP ALL", "STOPALL",
            "OPTOUT", "OPT OUT",
            "OPT OUT ALL", "STOPALL",
            "UN SUBSCRIBE", "UNSUBSCRIBE",
            "STOP TEXTING", "STOP",
            "STOP MESSAGING", "STOP",
            "STOP SENDING", "STOP",
            "STOP TEXTS", "STOP",
            "STOP MESSAGES", "STOP");

    static Keyword read(String body) {
        String plain = Normalizer.normalize(body, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toUpperCase(Locale.ROOT)
                // punctuation goes, and so does what joins words (opt-out, un-subscribe)
                .replaceAll("[\\p{P}\\p{S}]", " ")
                .strip();
        String text = Arrays.stream(plain.split("\\s+"))
                .filter(word -> !word.isEmpty())
                .collect(Collectors.joining(" "));
        String words = Arrays.stream(text.split(" "))
                .filter(word -> !FILLER.contains(word))
                .collect(Collectors.joining(" "));
        String keyword = SPELLINGS.getOrDefault(words, words);
        Kind kind = WORDS.get(keyword);
        return kind == null ? new Keyword(Kind.NONE, text) : new Keyword(kind, keyword);
    }

    private static Map<String, Kind> words() {
        Map<String, Kind> words = new java.util.HashMap<>();
        for (String word : Set.of("STOP", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPT OUT", "ARRET")) {
            words.put(word, Kind.OPT_OUT);
        }
        words.put("STOPALL", Kind.OPT_OUT_ALL);
        words.put("START", Kind.RESUME);
        words.put("UNSTOP", Kind.RESUME);
        words.put("Y", Kind.CONFIRM);
        words.put("YES", Kind.CONFIRM);
        words.put("HELP", Kind.HELP);
        words.put("INFO", Kind.HELP);
        words.put("AIDE", Kind.HELP);
        return Map.copyOf(words);
    }
}
