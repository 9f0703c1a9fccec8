package io.optledger.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The embedded server's passwords, one file per role in {@code <data-dir>/secrets} (the folder 0700, each file 0600,
 * one line): {@code postgres.password} for the superuser, which only the service's own bootstrap and migrations use,
 * and {@code optledger_app.password} for the role the application connects as. Generated once, never logged.
 */
final class EmbeddedCredentials {

    static final String SUPERUSER = "postgres";
    static final String APP_ROLE = "optledger_app";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path folder;

    EmbeddedCredentials(Path dataDir) throws IOException {
        this.folder = dataDir.resolve("secrets");
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    }

    /** The role's password if it was set up before. */
    Optional<String> existing(String role) throws IOException {
        Path file = file(role);
        return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    }

    /** A new random password for the role; written by {@link #keep} once the server has it. */
    static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    void keep(String role, String password) throws IOException {
        Path file = file(role);
        Path partial = folder.resolve(role + ".password.new");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, password + "\n");
        Files.move(
                partial,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    Path file(String role) {
        return folder.resolve(role + ".password");
    }
}
