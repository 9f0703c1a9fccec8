package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workspace signing keys: generated owner-only, kept across restarts, or supplied by the operator. */
class SigningKeysTests {

    @TempDir
    Path dataDir;

    @Test
    void generatesAnOwnerOnlyKeyOnFirstNeedAndKeepsItAcrossRestarts() throws Exception {
        SigningKeys keys = new SigningKeys(dataDir, "", true);
        SigningKeys.Signer signer = keys.active(7).orElseThrow();

        Path file = dataDir.resolve("keys/7/active.pem");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("keys"))))
                .isEqualTo("rwx------");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }

        // a new process over the same folder: the same key, not a new one
        SigningKeys restarted = new SigningKeys(dataDir, "", true);
        SigningKeys.Signer again = restarted.active(7).orElseThrow();
        assertThat(again.publicKey().keyId()).isEqualTo(signer.publicKey().keyId());
        byte[] message = "checkpoint".getBytes(StandardCharsets.UTF_8);
        assertThat(signer.publicKey().verifies(message, again.sign(message))).isTrue();
        assertThat(restarted.all())
                .singleElement()
                .satisfies(
                        k -> assertThat(k.keyId()).isEqualTo(signer.publicKey().keyId()));
    }

    @Test
    void usesAKeyTheOperatorSuppliesAndNeverGeneratesWhenToldNot() throws Exception {
        Path folder = dataDir.resolve("operator-keys");
        Files.createDirectories(folder.resolve("3"));
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        // the PKCS#8 PEM that `openssl genpkey -algorithm ed25519` writes
        Files.writeString(
                folder.resolve("3/active.pem"),
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        SigningKeys keys = new SigningKeys(dataDir, folder.toString(), false);

        SigningKeys.Signer signer = keys.active(3).orElseThrow();
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        assertThat(signer.publicKey().x()).isEqualTo(x);
        assertThat(signer.publicKey().keyId()).isEqualTo(SigningKeys.keyId(x));

        byte[] message = "checkpoint".getBytes(StandardCharsets.UTF_8);
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        assertThat(verifier.verify(signer.sign(message))).isTrue();

        assertThat(keys.active(4)).isEmpty();
        assertThat(folder.resolve("4")).doesNotExist();
    }

    @Test
    void keepsARetiredKeyForVerifyingAfterRotation() throws Exception {
        SigningKeys keys = new SigningKeys(dataDir, "", true);
        String first = keys.active(9).orElseThrow().publicKey().keyId();
        Path folder = dataDir.resolve("keys/9");
        Files.move(folder.resolve("active.pem"), folder.resolve("2026-12-01.pem"));

        SigningKeys restarted = new SigningKeys(dataDir, "", true);
        String second = restarted.active(9).orElseThrow().publicKey().keyId();
        assertThat(second).isNotEqualTo(first);
        assertThat(restarted.find(9, first))
                .hasValueSatisfying(k -> assertThat(k.active()).isFalse());
        assertThat(restarted.all())
                .extracting(SigningKeys.PublicSigningKey::keyId)
                .containsExactly(second, first);

        // a file that is no key is left out, not fatal to the list or to finding the others
        Files.writeString(folder.resolve("notes.pem"), "rotated on 2026-12-01\n");
        SigningKeys withJunk = new SigningKeys(dataDir, "", true);
        assertThat(withJunk.all())
                .extracting(SigningKeys.PublicSigningKey::keyId)
                .containsExactly(second, first);
        assertThat(withJunk.find(9, first)).isPresent();

        // a retired key kept as its public half only, as `openssl pkey -pubout` writes it, still verifies
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(
                folder.resolve("2025-01-01.pem"),
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(other.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        byte[] encoded = other.getPublic().getEncoded();
        String otherId = SigningKeys.keyId(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(other.getPrivate());
        byte[] message = "an old checkpoint".getBytes(StandardCharsets.UTF_8);
        signer.update(message);
        byte[] signature = signer.sign();
        assertThat(new SigningKeys(dataDir, "", false).find(9, otherId))
                .hasValueSatisfying(
                        k -> assertThat(k.verifies(message, signature)).isTrue());
    }
}
