package io.optledger.backup;

/** A backup or restore that cannot be done as asked; the message says why, and what to do. */
final class Refused extends Exception {

    Refused(String message) {
        super(message);
    }
}
