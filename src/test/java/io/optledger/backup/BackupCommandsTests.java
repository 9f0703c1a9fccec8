package io.optledger.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands' arguments, exit codes and one-line answers, where no server is needed. */
class BackupCommandsTests {

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void onlyBackupAndRestoreAreCommands() {
        assertThat(BackupCommands.isCommand(new String[] {"backup", "x"})).isTrue();
        assertThat(BackupCommands.isCommand(new String[] {"restore"})).isTrue();
        assertThat(BackupCommands.isCommand(new String[] {"--server.port=9090"}))
                .isFalse();
        assertThat(BackupCommands.isCommand(new String[0])).isFalse();
    }

    @Test
    void aMissingFolderOrAnUnknownOptionIsBadUsage() {
        assertThat(run("backup", "--optledger.data-dir=" + dir)).isEqualTo(2);
        assertThat(run("restore", dir.toString(), "--optledger.datadir=" + dir)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("backup: name one folder; usage:")
                .contains("restore: unknown option --optledger.datadir; usage:");
    }

    @Test
    void aFolderWithNoDatabaseIsRefusedInOneLine() {
        int exit = run("backup", dir.resolve("backup").toString(), "--optledger.data-dir=" + dir.resolve("data"));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("backup refused: no embedded database in " + dir.resolve("data")
                        + " (no postgres/PG_VERSION)" + System.lineSeparator());
        assertThat(dir.resolve("backup")).doesNotExist();
    }

    private int run(String... args) {
        return BackupCommands.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
    }
}
