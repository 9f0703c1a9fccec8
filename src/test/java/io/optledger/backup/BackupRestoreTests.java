package io.optledger.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ServiceProcess;
import io.optledger.support.ServiceProcess.Outcome;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WriteLoad;
import io.optledger.support.WriteLoad.Acknowledged;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: an online backup taken with the {@code backup} command while 8 writers change consent, restored with
 * {@code restore} into a fresh data folder, and the service started there: every change acknowledged before the backup
 * began is present and every touched ledger verifies, its signed checkpoints included (the signing keys came with the
 * backup). A byte flipped in the backup makes a restore refuse, naming the file. Slow (real processes):
 * {@code mvn -Pslow verify}.
 */
@Tag("slow")
class BackupRestoreTests {

    private static final int CONTACTS = 20;
    private static final int WRITERS = 8;

    // a checkpoint a second, so the backup holds signed checkpoints and the keys that signed them
    private static final String CHECKPOINT_EVERY_SECOND = "--optledger.ledger.checkpoints.interval=1s";

    @TempDir
    Path dir;

    @Test
    void aBackupTakenUnderWritesRestoresEveryChangeAcknowledgedBeforeItBegan() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup");
        Path restored = dir.resolve("restored");
        ServiceProcess source =
                ServiceProcess.start("backup-source", List.of("--optledger.data-dir=" + data, CHECKPOINT_EVERY_SECOND));
        String key;
        List<Long> contacts = new ArrayList<>();
        WriteLoad writers;
        long backupStarted;
        Outcome backedUp;
        Duration backupTook;
        try {
            TestWorkspace workspace = TestWorkspace.create(source.api());
            key = workspace.adminKey();
            for (int i = 0; i < CONTACTS; i++) {
                contacts.add(workspace.contact("b" + i + "@example.com", "+1415555" + (7000 + i)));
            }
            writers = new WriteLoad(source::api, key, contacts, WRITERS);
            writers.awaitAcknowledged(500);
            backupStarted = System.nanoTime();
            backedUp = ServiceProcess.command("backup", backup.toString(), "--optledger.data-dir=" + data);
            backupTook = Duration.ofNanos(System.nanoTime() - backupStarted);
            Thread.sleep(1_000);
            writers.close();
            assertThat(backedUp.exitCode()).as(backedUp.output()).isZero();

            Outcome again = ServiceProcess.command("backup", backup.toString(), "--optledger.data-dir=" + data);
            assertThat(again.exitCode()).as(again.output()).isEqualTo(1);
            assertThat(again.output()).contains("is not empty");
            Outcome overRunning = ServiceProcess.command("restore", backup.toString(), "--optledger.data-dir=" + data);
            assertThat(overRunning.exitCode()).as(overRunning.output()).isEqualTo(1);
            assertThat(overRunning.output()).contains("a PostgreSQL server is running");
        } finally {
            source.close();
        }
        Manifest manifest = Manifest.read(backup);
        assertThat(manifest.files()).extracting(Manifest.Entry::path).anyMatch(path -> path.startsWith("keys/"));
        assertThat(manifest.files())
                .extracting(Manifest.Entry::path)
                .contains("postgres/backup_label", "secrets/postgres.password", "secrets/optledger_app.password");

        Outcome restoredOutcome =
                ServiceProcess.command("restore", backup.toString(), "--optledger.data-dir=" + restored);
        assertThat(restoredOutcome.exitCode()).as(restoredOutcome.output()).isZero();
        long starting = System.nanoTime();
        ServiceProcess node = ServiceProcess.start("backup-restored", List.of("--optledger.data-dir=" + restored));
        try {
            Duration startTook = Duration.ofNanos(System.nanoTime() - starting);
            Set<Acknowledged> before = writers.acknowledgedBefore(backupStarted);
            Set<Acknowledged> lost = WriteLoad.lost(node.api(), key, contacts, before);
            Set<Acknowledged> later = new HashSet<>(writers.acknowledged());
            later.removeAll(before);
            later.removeAll(WriteLoad.lost(node.api(), key, contacts, later));
            System.out.printf(
                    "backup under writes: %s; took %d ms; %d changes acknowledged before it began, %d present after"
                            + " the restore, %d lost; %d of the %d acknowledged after it began present too; the restored"
                            + " service was ready in %d ms%n%s%n",
                    backedUp.output(),
                    backupTook.toMillis(),
                    before.size(),
                    before.size() - lost.size(),
                    lost.size(),
                    later.size(),
                    writers.acknowledged().size() - before.size(),
                    startTook.toMillis(),
                    restoredOutcome.output());
            assertThat(before).hasSizeGreaterThanOrEqualTo(500);
            assertThat(lost).isEmpty();
        } finally {
            node.close();
        }

        String damaged = largestDatabaseFile(backup);
        flipAByte(backup.resolve(damaged));
        Path elsewhere = dir.resolve("elsewhere");
        Outcome refused = ServiceProcess.command("restore", backup.toString(), "--optledger.data-dir=" + elsewhere);
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("the backup is damaged: " + damaged);
        assertThat(elsewhere).doesNotExist();
    }

    private static String largestDatabaseFile(Path backup) throws Exception {
        try (Stream<Path> files = Files.walk(backup.resolve("postgres/base"))) {
            Path largest = files.filter(Files::isRegularFile)
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                    .orElseThrow();
            return backup.relativize(largest).toString();
        }
    }

    private static void flipAByte(Path file) throws Exception {
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = bytes.length() / 2;
            bytes.seek(middle);
            int value = bytes.read();
            bytes.seek(middle);
            bytes.write(value ^ 0xFF);
        }
    }
}
