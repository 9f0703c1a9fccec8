package io.optledger.platform;

/** The request contradicts what is stored (an identifier naming another contact, a duplicate key). */
public class Conflict extends RuntimeException {

    public Conflict(String message) {
        super(message);
    }
}
