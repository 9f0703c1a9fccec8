package io.optledger.platform;

import java.security.SecureRandom;

/** A random source that gives the given bytes: the generator's seed, so it rebuilds a known key pair. */
final class FixedBytes extends SecureRandom {

    private final byte[] bytes;

    FixedBytes(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
        if (out.length != bytes.length) {
            throw new IllegalStateException("expected a request for " + bytes.length + " bytes");
        }
        System.arraycopy(bytes, 0, out, 0, out.length);
    }

    @Override
    public String getAlgorithm() {
        return "fixed";
    }
}
