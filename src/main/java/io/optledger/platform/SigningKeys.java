package io.optledger.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Each workspace's Ed25519 signing keys, kept as PEM files outside the database ({@code <folder>/<workspace id>/}):
 * {@code active.pem} signs, any other {@code *.pem} (a retired private key, or a public key) still verifies. A missing
 * active key is generated on first need, unless the operator supplies the keys. See docs/operations.md#ledger-signing-keys-and-checkpoints.
 */
@Component
public class SigningKeys {

    private final Path folder;
    private final boolean generate;
    private final Map<Long, Signer> active = new ConcurrentHashMap<>();
    private final PublishedKeys published;

    SigningKeys(
            @Value("${optledger.data-dir}") Path dataDir,
            @Value("${optledger.ledger.keys.folder:}") String folder,
            @Value("${optledger.ledger.keys.generate:true}") boolean generate) {
        this.folder = (StringUtils.hasText(folder) ? Path.of(folder) : dataDir.resolve("keys")).toAbsolutePath();
        this.generate = generate;
        this.published = new PublishedKeys(this.folder);
    }

    /** A workspace's public key: {@code x} is the raw 32-byte Ed25519 key, {@code keyId} its RFC 7638 thumbprint. */
    public record PublicSigningKey(long workspaceId, String keyId, byte[] x, boolean active) {

        public PublicKey key() {
            return Ed25519.publicKey(x);
        }

        public boolean verifies(byte[] message, byte[] signature) {
            return Ed25519.verifies(x, message, signature);
        }
    }

    /** The key that signs for a workspace now. */
    public record Signer(PublicSigningKey publicKey, PrivateKey privateKey) {

        public byte[] sign(byte[] message) {
            try {
                Signature signer = Signature.getInstance("Ed25519");
                signer.initSign(privateKey);
                signer.update(message);
                return signer.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JVM since 15 signs with Ed25519", e);
            }
        }

        @Override
        public String toString() {
            // never the private key, in a log line or an error
            return "Signer[" + publicKey.workspaceId() + ", " + publicKey.keyId() + "]";
        }
    }

    /** The folder the keys live in. */
    public Path folder() {
        return folder;
    }

    /**
     * The workspace's active key, generated (owner-only file, owner-only folder) when there is none and generation is
     * on; empty when there is none and it is off.
     */
    public Optional<Signer> active(long workspaceId) {
        Signer cached = active.get(workspaceId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Path file = KeyFiles.workspaceFolder(folder, workspaceId).resolve(KeyFiles.ACTIVE);
        if (!Files.exists(file)) {
            if (!generate) {
                return Optional.empty();
            }
            KeyFiles.create(folder, workspaceId, file);
        }
        Signer signer = KeyFiles.readSigner(workspaceId, file);
        active.put(workspaceId, signer);
        published.forget(workspaceId);
        return Optional.of(signer);
    }

    /** The workspace's key with this id, active or retired, as the key folder holds it now. */
    public Optional<PublicSigningKey> find(long workspaceId, String keyId) {
        return published.find(workspaceId, keyId);
    }

    /** Every public key in the folder, of every workspace, active first within a workspace; at most 10 s old. */
    public List<PublicSigningKey> all() {
        return published.all();
    }

    /** RFC 7638's JWK thumbprint: SHA-256 over the key's required members in lexical order, base64url. */
    public static String keyId(byte[] x) {
        return Ed25519.keyId(x);
    }
}
