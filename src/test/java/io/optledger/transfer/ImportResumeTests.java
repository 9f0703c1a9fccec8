package io.optledger.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ServiceProcess;
import io.optledger.support.SharedDatabase;
import io.optledger.support.TestWorkspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An import resumed after its node is killed with {@code kill -9} mid-import: the next node takes the job over once
 * the lease lapses and carries on from the durable cursor, so every row is applied exactly once (one ledger event per
 * row, nothing unchanged). Slow (real processes): {@code mvn -Pslow test -Dtest=ImportResumeTests}.
 */
@Tag("slow")
class ImportResumeTests {

    private static final int ROWS = 30_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aKilledNodesImportResumesWhereItStoppedAndAppliesEachRowOnce() throws Exception {
        try (SharedDatabase database = SharedDatabase.start(dir.resolve("pg"))) {
            List<String> arguments = database.nodeArguments(
                    dir.resolve("node"),
                    "--optledger.imports.lease=5s",
                    "--optledger.imports.pass-budget=2s",
                    "--optledger.imports.poll-interval=200ms");
            StringBuilder file = new StringBuilder("email,channel,topic,status,occurredAt\n");
            for (int i = 0; i < ROWS; i++) {
                file.append("r").append(i).append("@example.com,EMAIL,marketing,subscribed,2024-01-01T00:00:00Z\n");
            }

            ServiceProcess first = ServiceProcess.start("import-resume-first", arguments);
            TestWorkspace workspace = TestWorkspace.create(first.api());
            String id = new ImportClient(first.port(), workspace.adminKey()).start("", "text/csv", file.toString());
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            long doneBeforeKill;
            while ((doneBeforeKill = new ImportClient(first.port(), workspace.adminKey())
                            .job(id)
                            .at("/rows/done")
                            .asLong())
                    < ROWS / 10) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(100);
            }
            first.kill();
            assertThat(doneBeforeKill).as("killed mid-import").isLessThan(ROWS);

            try (ServiceProcess second = ServiceProcess.start("import-resume-second", arguments)) {
                ImportClient imports = new ImportClient(second.port(), workspace.adminKey());
                JsonNode killed = imports.job(id);
                assertThat(killed.get("state").asString()).isEqualTo("RUNNING");
                assertThat(killed.at("/rows/done").asLong()).isLessThan(ROWS);

                JsonNode job = imports.await(id, Duration.ofMinutes(5));
                assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("DONE");
                assertThat(job.at("/rows/done").asLong()).isEqualTo(ROWS);
                assertThat(job.at("/outcomes/created").asLong()).isEqualTo(ROWS);
                assertThat(job.at("/outcomes/unchanged").asLong()).isZero();
                long events = imports.get("/v1/exports/events", "application/x-ndjson")
                        .text()
                        .lines()
                        .map(JSON::readTree)
                        .filter(e -> e.get("source").asString().equals("import:" + id))
                        .count();
                assertThat(events).as("one ledger event per row").isEqualTo(ROWS);
                assertThat(imports.get("/v1/exports/subscriptions", "text/csv")
                                .text()
                                .lines()
                                .count())
                        .isEqualTo(ROWS + 1);
            }
        }
    }
}
