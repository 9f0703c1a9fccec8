package io.optledger.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The embedded server's data folder as tools outside the service see it (the backup and restore commands): where
 * PostgreSQL's files are, whether a server of this folder runs and on which port, and a superuser session on it.
 */
public final class EmbeddedDataFolder {

    private final Path root;

    public EmbeddedDataFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The data folder, {@code optledger.data-dir}. */
    public Path root() {
        return root;
    }

    /** PostgreSQL's data directory, {@code <data-dir>/postgres}. */
    public Path postgres() {
        return root.resolve("postgres");
    }

    /** The port of the live PostgreSQL server of this folder (line 4 of its postmaster.pid); empty when none runs. */
    public OptionalInt runningServerPort() throws IOException {
        Optional<PostmasterPidFile> file = PostmasterPidFile.read(postgres());
        if (file.isEmpty() || OrphanedPostmaster.server(file.get(), postgres()).isEmpty()) {
            return OptionalInt.empty();
        }
        OptionalInt port = file.get().port();
        if (port.isEmpty()) {
            // the server writes its pid file line by line as it starts
            throw new IOException("the PostgreSQL server of " + postgres() + " is still starting: try again");
        }
        return port;
    }

    /** A session as the superuser, with the password kept in {@code <data-dir>/secrets}. */
    public Connection superuser(int port) throws IOException, SQLException {
        String password = new EmbeddedCredentials(root)
                .existing(EmbeddedCredentials.SUPERUSER)
                .orElse("");
        return DriverManager.getConnection(EmbeddedLockdown.url(port), EmbeddedCredentials.SUPERUSER, password);
    }
}
