package io.optledger.platform;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 public keys as the ledger names them (raw 32 bytes {@code x}, RFC 7638 thumbprint as key id) and signature
 * checks: the JDK only, so that the offline proof verifier shares it with the service.
 */
public final class Ed25519 {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    // an Ed25519 SubjectPublicKeyInfo is this fixed 12-byte header and the 32-byte key
    private static final byte[] X509_HEADER = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519() {}

    /** RFC 7638's JWK thumbprint: SHA-256 over the key's required members in lexical order, base64url. */
    public static String keyId(byte[] x) {
        return BASE64URL.encodeToString(
                Hashing.sha256("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + BASE64URL.encodeToString(x) + "\"}"));
    }

    public static boolean verifies(byte[] x, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey(x));
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static PublicKey publicKey(byte[] x) {
        byte[] encoded = Arrays.copyOf(X509_HEADER, X509_HEADER.length + x.length);
        System.arraycopy(x, 0, encoded, X509_HEADER.length, x.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** The raw 32 bytes of a public key. */
    public static byte[] raw(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }
}
