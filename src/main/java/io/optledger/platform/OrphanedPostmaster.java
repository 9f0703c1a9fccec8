package io.optledger.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that an earlier run of the service left behind on the data folder: the service was killed
 * ({@code kill -9}, the OOM killer) and its embedded server kept running, or the machine stopped and left a stale
 * {@code postmaster.pid}. Either would make the next start fail ({@code lock file "postmaster.pid" already exists}).
 * A live server of this data folder is shut down the fast way (SIGINT: sessions ended, everything committed is on disk),
 * or killed if it will not stop, in which case PostgreSQL's crash recovery replays the WAL on the next start; a pid
 * file whose process is gone, or is no PostgreSQL of this folder, is removed.
 */
final class OrphanedPostmaster {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);

    private OrphanedPostmaster() {}

    /** Leaves the data folder with no server running on it; answers whether there was one. */
    static boolean stopIfRunning(Path pgData, Duration patience) throws IOException {
        Optional<PostmasterPidFile> file = PostmasterPidFile.read(pgData);
        if (file.isEmpty()) {
            return false;
        }
        Path pidFile = file.get().path();
        Optional<ProcessHandle> server = server(file.get(), pgData);
        if (server.isEmpty()) {
            log.warn("Removing a stale postmaster.pid from {}: no PostgreSQL of this folder is running", pgData);
            Files.deleteIfExists(pidFile);
            return false;
        }
        ProcessHandle postmaster = server.get();
        log.warn(
                "A PostgreSQL server (pid {}) from an earlier run is still running on {}: stopping it",
                postmaster.pid(),
                pgData);
        signal(postmaster.pid(), "-INT");
        if (!exited(postmaster, patience)) {
            log.warn(
                    "PostgreSQL (pid {}) did not stop in {}: killing it; the next start recovers",
                    postmaster.pid(),
                    patience);
            postmaster.destroyForcibly();
            exited(postmaster, patience);
            Files.deleteIfExists(pidFile);
        }
        return true;
    }

    /** The live process the pid file names, if it is a PostgreSQL server of this data folder. */
    static Optional<ProcessHandle> server(PostmasterPidFile file, Path pgData) {
        OptionalLong pid = file.pid();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        boolean sameFolder =
                file.dataDirectory().map(dir -> samePath(dir, pgData)).orElse(false);
        return ProcessHandle.of(pid.getAsLong())
                .filter(ProcessHandle::isAlive)
                .filter(p -> sameFolder)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", signal, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL " + pid, e);
        }
    }

    private static boolean exited(ProcessHandle process, Duration patience) throws IOException {
        try {
            process.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for PostgreSQL " + process.pid(), e);
        }
    }
}
