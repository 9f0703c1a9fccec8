package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.OptLedgerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The embedded server the service's {@code main} starts while Spring reads its configuration is stopped with a start
 * that fails before anything took it, so no PostgreSQL is left running on the folder; a server that cannot start fails
 * the start with its own reason. (That a start through {@code main}
 * takes and serves it, and how much sooner a restart is ready, is {@code CrashRestartTests}'.)
 */
@DisabledIfEnvironmentVariable(named = "OPTLEDGER_DATABASE_URL", matches = ".+")
class EmbeddedServerEarlyStartTests {

    @TempDir
    Path dataDir;

    @Test
    void aStartThatFailsBeforeTheServerIsTakenStopsTheServer() {
        SpringApplication application = new SpringApplication(OptLedgerApplication.class);
        application.addInitializers(new EmbeddedServerEarlyStart());
        // registered before the configuration's beans, so created (and failing) before any of them
        application.addInitializers(
                context -> ((GenericApplicationContext) context).registerBean("failsFirst", Object.class, () -> {
                    throw new IllegalStateException("a bean that fails the start");
                }));

        assertThatThrownBy(() -> application.run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--optledger.data-dir=" + dataDir,
                        "--logging.structured.format.console="))
                .hasStackTraceContaining("a bean that fails the start");
        assertServerSetUpAndStopped(dataDir);
    }

    @Test
    void aServerThatCannotStartFailsTheStartWithItsReason() throws Exception {
        Path notAFolder = Files.writeString(dataDir.resolve("a-file"), "not a data folder");
        SpringApplication application = new SpringApplication(OptLedgerApplication.class);
        application.addInitializers(new EmbeddedServerEarlyStart());

        // the server bean rethrows what ended the early start (here: no folder can be made under a file)
        assertThatThrownBy(() -> application.run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--optledger.data-dir=" + notAFolder,
                        "--logging.structured.format.console="))
                .hasStackTraceContaining("embeddedServer")
                .hasRootCauseInstanceOf(java.nio.file.FileSystemException.class);
    }

    /** A server was set up on the data folder (initdb ran) and none runs on it now (no postmaster.pid). */
    static void assertServerSetUpAndStopped(Path dataDir) {
        Path pgData = dataDir.resolve("postgres");
        assertThat(pgData.resolve("PG_VERSION"))
                .as("a server was set up on the folder")
                .exists();
        assertThat(Files.exists(pgData.resolve("postmaster.pid")))
                .as("and stopped: no postmaster left running")
                .isFalse();
    }
}
