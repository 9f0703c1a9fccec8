package io.optledger.backup;

import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of a PostgreSQL data directory's files a base backup takes: all but those PostgreSQL's documentation ("Making a
 * Base Backup Using the Low Level API") and pg_basebackup leave out. The WAL is copied apart, once the backup stops.
 */
final class PostgresFiles implements TreeCopy.Selection {

    static final PostgresFiles BASE_BACKUP = new PostgresFiles();

    /** The control file, left out of the walk: copied apart and last, as pg_basebackup sends it. */
    static final Path CONTROL_FILE = Path.of("global", "pg_control");

    /** Folders kept, empty: the server empties or rebuilds them at start, or (pg_wal) the WAL is copied apart. */
    private static final Set<String> EMPTIED = Set.of(
            "pg_wal",
            "pg_replslot",
            "pg_stat_tmp",
            "pg_dynshmem",
            "pg_notify",
            "pg_serial",
            "pg_snapshots",
            "pg_subtrans");

    /**
     * The running server's files, the backup's own (pg_backup_stop answers them), half-written files, and the lock of
     * the library that starts the server.
     */
    private static final Set<String> OMITTED = Set.of(
            "postmaster.pid",
            "postmaster.opts",
            "backup_label",
            "tablespace_map",
            "backup_manifest",
            "postgresql.auto.conf.tmp",
            "current_logfiles.tmp",
            "epg-lock");

    /** A temporary table's file ({@code t<backend>_<relfilenode>}): no session outlives a restart. */
    private static final Pattern TEMPORARY_RELATION = Pattern.compile("t\\d+_\\d+(_(fsm|vm|init))?(\\.\\d+)?");

    private PostgresFiles() {}

    @Override
    public boolean takesFolder(Path relative) {
        if (relative.getNameCount() > 1 && EMPTIED.contains(relative.getName(0).toString())) {
            // pg_wal's own folders (archive_status, summaries), as pg_basebackup keeps them
            return relative.getNameCount() == 2
                    && relative.getName(0).toString().equals("pg_wal");
        }
        return !relative.getFileName().toString().startsWith("pgsql_tmp");
    }

    @Override
    public boolean takesFile(Path relative) {
        String name = relative.getFileName().toString();
        if (relative.getNameCount() == 1) {
            return !OMITTED.contains(name);
        }
        String top = relative.getName(0).toString();
        if (relative.equals(CONTROL_FILE)
                || EMPTIED.contains(top)
                || name.startsWith("pg_internal.init")
                || name.startsWith("pgsql_tmp")) {
            return false;
        }
        return !(top.equals("base") && TEMPORARY_RELATION.matcher(name).matches());
    }
}
