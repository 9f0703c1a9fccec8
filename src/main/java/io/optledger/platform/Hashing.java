package io.optledger.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256, the digest the service uses (key hashes, ledger chain, request fingerprints), and MD5 only where a vendor's
 * protocol names it (Capillary's Basic password).
 */
public final class Hashing {

    private static final String HMAC_SHA256 = "HmacSHA256";
    // One digest and one MAC per thread: looking them up from the providers cost more than hashing a whole ledger event
    // (the write path hashes every event and commits to each of its personal fields).
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(HMAC_SHA256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    });

    private Hashing() {}

    public static byte[] sha256(byte[] input) {
        // digest() hashes the whole input and resets: no other use on this thread can come in between
        return SHA256.get().digest(input);
    }

    public static byte[] sha256(String input) {
        return sha256(input.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 (RFC 2104) of the UTF-8 bytes of {@code message} under {@code key}. */
    public static byte[] hmacSha256(byte[] key, String message) {
        return hmacSha256(key).doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * This thread's HMAC-SHA256, keyed with {@code key} for several messages ({@code doFinal} leaves it keyed): use it
     * before the next call of this method or {@link #hmacSha256(byte[], String)} on the same thread, which re-keys it.
     */
    public static Mac hmacSha256(byte[] key) {
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an HMAC key", e);
        }
        return mac;
    }

    /** The lowercase hex MD5 of the UTF-8 bytes: a protocol detail, never a protection. */
    public static String md5Hex(String input) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
