package io.optledger.delivery.webhook;

import org.jspecify.annotations.Nullable;

/** Text from the outside (answers, error messages) made fit to store: clipped, and without NUL. */
final class Texts {

    private Texts() {}

    static String clip(String text, int max) {
        String clean = text.replace('\u0000', '\uFFFD');
        return clean.length() <= max ? clean : clean.substring(0, max);
    }

    static @Nullable String clipOrNull(@Nullable String text, int max) {
        return text == null ? null : clip(text, max);
    }
}
