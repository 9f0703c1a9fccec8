package io.optledger.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final String ACTIVE = "active.pem";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    private final Path folder;
    private final boolean generate;
    private final Map<Long, Signer> active = new ConcurrentHashMap<>();
    private final Map<Long, List<PublicSigningKey>> published = new ConcurrentHashMap<>();
    private volatile @Nullable Listing listing;

    /** What {@link #all()} last read, and when: the list is public, so a flood of requests reads the folder once. */
    private record Listing(List<PublicSigningKey> keys, long readAtNanos) {}

    private static final long LISTING_TTL_NANOS =
            java.time.Duration.ofSeconds(10).toNanos();

    SigningKeys(
            @Value("${optledger.data-dir}") Path dataDir,
            @Value("${optledger.ledger.keys.folder:}") String folder,
            @Value("${optledger.ledger.keys.generate:true}") boolean generate) {
        this.folder = (StringUtils.hasText(folder) ? Path.of(folder) : dataDir.resolve("keys")).toAbsolutePath();
        this.generate = generate;
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
        Path file = workspaceFolder(workspaceId).resolve(ACTIVE);
        if (!Files.exists(file)) {
            if (!generate) {
                return Optional.empty();
            }
            create(workspaceId, file);
        }
        Signer signer = readSigner(workspaceId, file);
        active.put(workspaceId, signer);
        published.remove(workspaceId);
        listing = null;
        return Optional.of(signer);
    }

    /** The workspace's key with this id, active or retired, as the key folder holds it now. */
    public Optional<PublicSigningKey> find(long workspaceId, String keyId) {
        Optional<PublicSigningKey> known = publicKeys(workspaceId).stream()
                .filter(k -> k.keyId().equals(keyId))
                .findFirst();
        if (known.isPresent()) {
            return known;
        }
        // another node sharing the folder may have written it since: read the folder again
        published.remove(workspaceId);
        return publicKeys(workspaceId).stream()
                .filter(k -> k.keyId().equals(keyId))
                .findFirst();
    }

    /** Every public key in the folder, of every workspace, active first within a workspace; at most 10 s old. */
    public List<PublicSigningKey> all() {
        Listing last = listing;
        if (last != null && System.nanoTime() - last.readAtNanos() < LISTING_TTL_NANOS) {
            return last.keys();
        }
        List<PublicSigningKey> keys = readAll();
        listing = new Listing(keys, System.nanoTime());
        return keys;
    }

    private List<PublicSigningKey> readAll() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<PublicSigningKey> keys = new ArrayList<>();
        try (Stream<Path> workspaces = Files.list(folder)) {
            workspaces
                    .filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("[1-9][0-9]{0,18}"))
                    .map(Long::parseLong)
                    .sorted()
                    .forEach(workspace -> {
                        published.remove(workspace);
                        keys.addAll(publicKeys(workspace));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(keys);
    }

    private List<PublicSigningKey> publicKeys(long workspaceId) {
        return published.computeIfAbsent(workspaceId, this::read);
    }

    private List<PublicSigningKey> read(long workspaceId) {
        Path dir = workspaceFolder(workspaceId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pem"))
                    .sorted(Comparator.comparing(
                                    (Path f) -> !f.getFileName().toString().equals(ACTIVE))
                            .thenComparing(Path::toString))
                    .flatMap(f -> readPublicOrSkip(workspaceId, f).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path workspaceFolder(long workspaceId) {
        return folder.resolve(Long.toString(workspaceId));
    }

    private void create(long workspaceId, Path file) {
        try {
            createFolder(folder);
            createFolder(file.getParent());
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
            // written whole under another name, then linked into place: no node ever reads half a key, and a key
            // another node created at the same moment is kept, not replaced
            Path temporary = Files.createTempFile(file.getParent(), ".active-", ".tmp", ownerOnly(OWNER_ONLY_FILE));
            try {
                Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
                try {
                    Files.createLink(file, temporary);
                } catch (UnsupportedOperationException e) {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
                }
                log.info("Generated the ledger signing key of workspace {} in {}", workspaceId, file);
            } catch (FileAlreadyExistsException e) {
                log.info("Workspace {} already has a signing key in {}", workspaceId, file);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the signing key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM since 15 generates Ed25519 keys", e);
        }
    }

    private static void createFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, ownerOnly(OWNER_ONLY_FOLDER));
            } catch (FileAlreadyExistsException e) {
                // made by another thread or node meanwhile
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    private static Signer readSigner(long workspaceId, Path file) {
        warnIfReadableByOthers(file);
        PrivateKey key = privateKey(file, pemBody(file, "PRIVATE KEY"));
        return new Signer(publicKey(workspaceId, true, publicOf(key)), key);
    }

    /** A file that is no key is left out with a warning, so it cannot break the list or a verification. */
    private static Optional<PublicSigningKey> readPublicOrSkip(long workspaceId, Path file) {
        try {
            return Optional.of(readPublic(workspaceId, file));
        } catch (RuntimeException e) {
            log.warn("Skipping {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static PublicSigningKey readPublic(long workspaceId, Path file) {
        boolean isActive = file.getFileName().toString().equals(ACTIVE);
        String text = readString(file);
        if (text.contains("-----BEGIN PUBLIC KEY-----")) {
            return publicKey(workspaceId, isActive, rawPublic(decodeX509(file, pemBody(file, "PUBLIC KEY"))));
        }
        return publicKey(workspaceId, isActive, publicOf(privateKey(file, pemBody(file, "PRIVATE KEY"))));
    }

    private static PublicSigningKey publicKey(long workspaceId, boolean active, byte[] x) {
        return new PublicSigningKey(workspaceId, keyId(x), x, active);
    }

    /** RFC 7638's JWK thumbprint: SHA-256 over the key's required members in lexical order, base64url. */
    public static String keyId(byte[] x) {
        return Ed25519.keyId(x);
    }

    /**
     * The public half of a private key. The JDK has no call for it, but its Ed25519 generator takes the private key's
     * 32 bytes from the random source it is given, so a source that gives exactly those bytes rebuilds the pair.
     */
    private static byte[] publicOf(PrivateKey key) {
        byte[] seed = ((EdECPrivateKey) key)
                .getBytes()
                .orElseThrow(() -> new IllegalStateException("the private key hides its bytes"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            return rawPublic(generator.generateKeyPair().getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM since 15 generates Ed25519 keys", e);
        }
    }

    private static byte[] rawPublic(PublicKey key) {
        return Ed25519.raw(key);
    }

    private static PublicKey decodeX509(Path file, byte[] der) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " is not an Ed25519 public key", e);
        }
    }

    private static PrivateKey privateKey(Path file, byte[] der) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " is not an Ed25519 private key (PKCS#8 PEM)", e);
        }
    }

    private static byte[] pemBody(Path file, String type) {
        String text = readString(file);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(file + " holds no " + type + " PEM block");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (AccessDeniedException e) {
            throw new IllegalStateException("cannot read the signing key " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                permissions.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                if (!permissions.isEmpty()) {
                    log.warn(
                            "The signing key {} is readable or writable by others ({}): make it 0600",
                            file,
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                }
            }
        } catch (IOException e) {
            log.warn("Cannot read the permissions of {}: {}", file, e.getMessage());
        }
    }

    /** A random source that gives the given bytes: the generator's seed, so it rebuilds a known key pair. */
    private static final class FixedBytes extends SecureRandom {

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
}
