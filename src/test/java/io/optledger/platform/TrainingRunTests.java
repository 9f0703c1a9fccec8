package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ServiceProcess;
import io.optledger.support.ServiceProcess.Outcome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run that builds an AOT cache (docs/operations.md, "Starting faster") ends the JVM with a halt once the
 * context is built: the service still stops its embedded server first, so none is left running on the folder. Slow
 * (a process of its own): {@code mvn -Pslow verify}.
 */
@Tag("slow")
@DisabledIfEnvironmentVariable(named = "OPTLEDGER_DATABASE_URL", matches = ".+")
class TrainingRunTests {

    @TempDir
    Path dataDir;

    @Test
    void aTrainingRunLeavesNoServerRunningOnItsFolder() throws Exception {
        Outcome training = ServiceProcess.run(
                List.of("-Xmx256m", "-Dspring.context.exit=onRefresh"),
                List.of(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--optledger.data-dir=" + dataDir,
                        "--logging.structured.format.console="));

        assertThat(training.exitCode()).as(training.output()).isZero();
        EmbeddedServerEarlyStartTests.assertServerSetUpAndStopped(dataDir);
    }
}
