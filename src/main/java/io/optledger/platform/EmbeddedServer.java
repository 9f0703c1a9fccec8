package io.optledger.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one data folder, kept running for as long as the service runs. It starts on boot (after
 * stopping a server an earlier run left behind) and, if it dies under the running service (killed, out of memory),
 * {@link EmbeddedServerWatchdog} starts it again on the same port, so the application's pool reconnects to the same
 * URL by itself; requests meanwhile answer 503 with {@code Retry-After}.
 */
final class EmbeddedServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final Duration ORPHAN_PATIENCE = Duration.ofSeconds(30);
    private static final Duration STARTUP_PATIENCE = Duration.ofMinutes(5);

    private final Path pgData;
    private final EmbeddedCredentials credentials;
    private final int port;
    private volatile EmbeddedPostgres postgres;
    private volatile long postmasterPid;
    private volatile boolean closed;

    private EmbeddedServer(Path pgData, EmbeddedCredentials credentials, EmbeddedPostgres postgres) throws IOException {
        this.pgData = pgData;
        this.credentials = credentials;
        this.postgres = postgres;
        this.port = postgres.getPort();
        this.postmasterPid = PostmasterPidFile.pidOf(pgData);
    }

    /** Starts the server of {@code dataDir}, durable and locked down, on a free port. */
    static EmbeddedServer start(Path dataDir) throws IOException {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Files.createDirectories(pgData);
        EmbeddedCredentials credentials = new EmbeddedCredentials(dataDir.toAbsolutePath());
        EmbeddedServer server = new EmbeddedServer(pgData, credentials, launch(pgData, credentials, null));
        log.info("Embedded PostgreSQL started on port {} with data in {}", server.port, pgData);
        return server;
    }

    int port() {
        return port;
    }

    EmbeddedCredentials credentials() {
        return credentials;
    }

    /** Whether the server's postmaster process is alive: a zombie no one has reaped yet is not. */
    boolean running() {
        if (!ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            // /proc/<pid>/stat: "pid (command) state ...", the command in parentheses possibly with spaces
            String stat = Files.readString(Path.of("/proc", Long.toString(postmasterPid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux) or the process just went: its handle's answer stands
            return ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /**
     * Starts the server again if it died; a no-op while it runs. Its backends, orphaned, exit on their own once they
     * see their postmaster gone; the new server recovers from the WAL whatever was committed.
     */
    synchronized void restartIfDead() throws IOException {
        if (closed || running()) {
            return;
        }
        log.warn("Embedded PostgreSQL (pid {}) died: starting it again on port {}", postmasterPid, port);
        // releases the folder lock the dead server's handle holds; its stop command fails, and says so
        postgres.close();
        postgres = launch(pgData, credentials, port);
        postmasterPid = PostmasterPidFile.pidOf(pgData);
        log.info("Embedded PostgreSQL running again on port {} (pid {})", port, postmasterPid);
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        postgres.close();
    }

    private static EmbeddedPostgres launch(Path pgData, EmbeddedCredentials credentials, @Nullable Integer port)
            throws IOException {
        OrphanedPostmaster.stopIfRunning(pgData, ORPHAN_PATIENCE);
        Optional<String> superuser = credentials.existing(EmbeddedCredentials.SUPERUSER);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                // after a crash or a restore, PostgreSQL replays the WAL first: up to max_wal_size (1 GB) of it
                .setPGStartupWait(STARTUP_PATIENCE);
        if (port != null) {
            builder.setPort(port);
        }
        EmbeddedDatabaseConfiguration.DURABLE_SERVER.forEach(builder::setServerConfig);
        // a folder set up before has the superuser's password; a new one (or one from before passwords) trusts it once
        superuser.ifPresent(password -> builder.setConnectConfig("password", password));
        EmbeddedPostgres postgres = builder.start();
        try {
            EmbeddedLockdown.apply(postgres.getPort(), credentials, superuser.orElse(null));
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }
}
