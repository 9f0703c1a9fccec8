package io.optledger.platform;

import java.io.IOException;

/** A streamed request body grew past its endpoint's limit: the endpoint answers 413 and keeps nothing of it. */
public class BodyTooLarge extends IOException {

    public BodyTooLarge(String message) {
        super(message);
    }
}
