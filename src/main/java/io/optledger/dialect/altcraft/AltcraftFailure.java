package io.optledger.dialect.altcraft;

/** A request refused with one of the dialect's errors; rendered by {@link AltcraftErrors} in the requested format. */
final class AltcraftFailure extends RuntimeException {

    private final AltcraftError error;

    AltcraftFailure(AltcraftError error, String text) {
        super(text);
        this.error = error;
    }

    AltcraftError error() {
        return error;
    }
}
