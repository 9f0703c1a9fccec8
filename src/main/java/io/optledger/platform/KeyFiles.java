package io.optledger.platform;

import io.optledger.platform.SigningKeys.PublicSigningKey;
import io.optledger.platform.SigningKeys.Signer;
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
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The key folder's PEM files: a workspace's active key generated into place, signers and public keys read back. */
final class KeyFiles {

    /** Logged as SigningKeys: every line about the keys keeps one logger name, whichever class writes it. */
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    static final String ACTIVE = "active.pem";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    private KeyFiles() {}

    static Path workspaceFolder(Path folder, long workspaceId) {
        return folder.resolve(Long.toString(workspaceId));
    }

    /** Generates the workspace's active key into {@code file}, owner-only, in owner-only folders. */
    static void create(Path folder, long workspaceId, Path file) {
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

    static Signer readSigner(long workspaceId, Path file) {
        warnIfReadableByOthers(file);
        PrivateKey key = privateKey(file, pemBody(file, "PRIVATE KEY"));
        return new Signer(publicKey(workspaceId, true, publicOf(key)), key);
    }

    /** A file that is no key is left out with a warning, so it cannot break the list or a verification. */
    static Optional<PublicSigningKey> readPublicOrSkip(long workspaceId, Path file) {
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
        return new PublicSigningKey(workspaceId, SigningKeys.keyId(x), x, active);
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
}
