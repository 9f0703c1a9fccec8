package io.optledger.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a base backup takes from a data directory, its WAL segments' names, and WAL positions as PostgreSQL writes them. */
class PostgresFilesTests {

    private final PostgresFiles files = PostgresFiles.BASE_BACKUP;

    @Test
    void takesTheDatabaseAndLeavesOutWhatTheServerRebuildsOrWhatBelongsToTheRunningServer() {
        for (String taken : List.of(
                "PG_VERSION", "postgresql.conf", "pg_hba.conf", "base/5/1259", "base/5/1259_fsm", "pg_xact/0000")) {
            assertThat(files.takesFile(Path.of(taken))).as(taken).isTrue();
        }
        for (String omitted : List.of(
                "postmaster.pid",
                "postmaster.opts",
                "epg-lock",
                "backup_label",
                "global/pg_control",
                "global/pg_internal.init",
                "base/5/pg_internal.init.1234",
                "base/5/t3_16384",
                "base/pgsql_tmp/pgsql_tmp123.0",
                "pg_wal/000000010000000000000003",
                "pg_replslot/optledger_backup_1/state",
                "pg_stat_tmp/global.stat",
                "pg_subtrans/0000")) {
            assertThat(files.takesFile(Path.of(omitted))).as(omitted).isFalse();
        }
        assertThat(files.takesFolder(Path.of("pg_wal/archive_status"))).isTrue();
        assertThat(files.takesFolder(Path.of("pg_replslot/optledger_backup_1"))).isFalse();
        assertThat(files.takesFolder(Path.of("base/pgsql_tmp"))).isFalse();
    }

    @Test
    void namesTheSegmentsFromTheStartPositionsThroughTheOneHoldingTheLastByte() {
        long sixteenMegabytes = 16L << 20;

        assertThat(WalSegments.between(1, Lsn.parse("0/3000028"), Lsn.parse("0/3000120"), sixteenMegabytes))
                .containsExactly("000000010000000000000003");
        // a stop position at a segment's very start needs nothing from that segment
        assertThat(WalSegments.between(1, Lsn.parse("0/3000028"), Lsn.parse("0/5000000"), sixteenMegabytes))
                .containsExactly("000000010000000000000003", "000000010000000000000004");
        assertThat(WalSegments.between(2, Lsn.parse("0/FF000028"), Lsn.parse("1/00000120"), sixteenMegabytes))
                .containsExactly("0000000200000000000000FF", "000000020000000100000000");
    }

    @Test
    void readsTheTimelineAndWritesPositionsAsPostgreSqlDoes() {
        assertThat(WalSegments.timeline(
                        "START WAL LOCATION: 0/3000028 (file 000000010000000000000003)\nSTART TIMELINE: 1\n"))
                .isEqualTo(1);
        assertThat(Lsn.parse("16/B374D848").toString()).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/3000028").toString()).isEqualTo("0/03000028");
    }
}
