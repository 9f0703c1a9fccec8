package io.optledger.backup;

import io.optledger.platform.EmbeddedDataFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * An online backup of the embedded server through PostgreSQL's low-level API, in one superuser session: a temporary
 * replication slot keeps the WAL from before the start until the session ends; {@code pg_backup_start} (a fast
 * checkpoint); the data directory copied file by file, pg_control last; {@code pg_backup_stop}, whose backup label is
 * written into the copy; the WAL segments from the start position's through the stop position's. Then the rest of the
 * data folder (the server's passwords, the signing keys) and, last, the manifest.
 */
final class OnlineBackup {

    private final EmbeddedDataFolder folder;
    private final Path target;
    private final Clock clock;

    private OnlineBackup(EmbeddedDataFolder folder, Path target, Clock clock) {
        this.folder = folder;
        this.target = target;
        this.clock = clock;
    }

    /** Backs the folder up into {@code target}, which must not exist or be empty; on failure it is left as it was. */
    static Manifest take(EmbeddedDataFolder folder, Path target, Clock clock)
            throws IOException, SQLException, Refused {
        Path pgData = folder.postgres();
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
            throw new Refused("no embedded database in " + folder.root() + " (no postgres/PG_VERSION)");
        }
        if (Files.exists(target) && !empty(target)) {
            throw new Refused(target + " exists and is not empty");
        }
        if (real(target).startsWith(real(folder.root()))) {
            throw new Refused(target + " is inside the data folder " + folder.root());
        }
        int port = folder.runningServerPort()
                .orElseThrow(() -> new Refused("no server is running on " + pgData
                        + ": start the service first (the backup is online), or, with the service stopped, copy the"
                        + " whole data folder (docs/operations.md#backup-and-restore-of-the-embedded-database)"));
        if (!empty(pgData.resolve("pg_tblspc"))) {
            throw new Refused(pgData + " has tablespaces, which the embedded server never makes: back it up with"
                    + " PostgreSQL's own tools");
        }
        boolean created = !Files.exists(target);
        try {
            OwnerOnlyFiles.folder(target);
            return new OnlineBackup(folder, target, clock).run(port);
        } catch (IOException | SQLException | Refused | RuntimeException e) {
            try {
                if (created) {
                    OwnerOnlyFiles.delete(target);
                } else {
                    clear(target);
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private Manifest run(int port) throws IOException, SQLException, Refused {
        Path pgData = folder.postgres();
        Instant started = clock.instant();
        String label = "optledger " + started;
        TreeCopy copy = new TreeCopy(target);
        Lsn start;
        Lsn stop;
        String version;
        String systemIdentifier;
        try (Connection session = folder.superuser(port);
                Statement sql = session.createStatement()) {
            version = single(sql, "show server_version");
            if (Integer.parseInt(single(sql, "show server_version_num")) < 150000) {
                throw new Refused("PostgreSQL " + version + " is older than 15, which this backup needs");
            }
            systemIdentifier = single(sql, "select system_identifier::text from pg_control_system()");
            long segmentSize = Long.parseLong(single(sql, "select pg_size_bytes(current_setting('wal_segment_size'))"));
            sql.execute("select pg_create_physical_replication_slot('optledger_backup_"
                    + ProcessHandle.current().pid() + "', true, true)");
            try (PreparedStatement begin = session.prepareStatement("select pg_backup_start(?, true)")) {
                begin.setString(1, label);
                start = Lsn.parse(single(begin));
            }
            copy.tree(pgData, "postgres", PostgresFiles.BASE_BACKUP, false);
            copy.settled(pgData.resolve(PostgresFiles.CONTROL_FILE), "postgres/global/pg_control");
            String backupLabel;
            String tablespaceMap;
            try (ResultSet stopped = sql.executeQuery("select lsn, labelfile, spcmapfile from pg_backup_stop(false)")) {
                stopped.next();
                stop = Lsn.parse(stopped.getString("lsn"));
                backupLabel = stopped.getString("labelfile");
                tablespaceMap = stopped.getString("spcmapfile");
            }
            copy.content(backupLabel, "postgres/backup_label");
            if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
                copy.content(tablespaceMap, "postgres/tablespace_map");
            }
            copyWal(copy, WalSegments.between(WalSegments.timeline(backupLabel), start, stop, segmentSize));
        }
        copyTheRestOfTheFolder(copy);
        copy.sync();
        Manifest manifest = new Manifest(
                Manifest.FORMAT,
                clock.instant(),
                folder.root().toString(),
                label,
                version,
                systemIdentifier,
                start.toString(),
                stop.toString(),
                copy.folders(),
                copy.files());
        manifest.write(target);
        return manifest;
    }

    /** The segments the backup needs, which the slot kept; and the timeline history files, which are small. */
    private void copyWal(TreeCopy copy, List<String> segments) throws IOException, Refused {
        Path wal = folder.postgres().resolve("pg_wal");
        for (String segment : segments) {
            try {
                copy.file(wal.resolve(segment), "postgres/pg_wal/" + segment);
            } catch (NoSuchFileException e) {
                throw new Refused("the WAL segment " + segment + " that the backup needs is gone from " + wal);
            }
        }
        try (Stream<Path> files = Files.list(wal)) {
            for (Path history : files.filter(f -> f.getFileName().toString().endsWith(".history"))
                    .sorted()
                    .toList()) {
                copy.file(history, "postgres/pg_wal/" + history.getFileName());
            }
        }
    }

    /** Everything else the data folder holds: the server's passwords, the signing keys (unless kept elsewhere). */
    private void copyTheRestOfTheFolder(TreeCopy copy) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(folder.root())) {
            entries = list.filter(entry -> !entry.equals(folder.postgres()))
                    .sorted()
                    .toList();
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                copy.tree(entry, name, TreeCopy.Selection.EVERYTHING, true);
            } else if (Files.isRegularFile(entry)) {
                copy.file(entry, name);
            }
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String single(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The path with every link in its existing part resolved, so a folder reached two ways compares equal. */
    private static Path real(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing.toRealPath().resolve(existing.relativize(absolute));
    }

    private static boolean empty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return !Files.exists(dir);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (Files.isDirectory(entry)) {
                    OwnerOnlyFiles.delete(entry);
                } else {
                    Files.delete(entry);
                }
            }
        }
    }
}
