package io.optledger.platform;

/**
 * Something the caller named does not exist in its workspace. Another workspace's objects are reported the same way,
 * so ids never leak across tenants.
 */
public class NotFound extends RuntimeException {

    public NotFound(String message) {
        super(message);
    }
}
