package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.support.ApiTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Issue 14: the embedded server is durable and loopback-only, and a server an earlier run left behind is stopped. */
@ApiTest
@DisabledIfEnvironmentVariable(named = "OPTLEDGER_DATABASE_URL", matches = ".+")
class EmbeddedDatabaseTests {

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    @Test
    void theEmbeddedServerFlushesEveryCommitAndListensOnLoopbackOnly() {
        Map<String, String> expected = Map.of(
                "fsync", "on",
                "synchronous_commit", "on",
                "full_page_writes", "on",
                "listen_addresses", "localhost");
        expected.forEach((name, value) -> assertThat(jdbc.sql("select current_setting(:name)")
                        .param("name", name)
                        .query(String.class)
                        .single())
                .as(name)
                .isEqualTo(value));
    }

    @Test
    void theApplicationConnectsAsARoleThatCannotGetBehindTheLedgersTriggers() {
        assertThat(jdbc.sql("select current_user").query(String.class).single()).isEqualTo("optledger_app");
        assertThat(jdbc.sql("select rolsuper from pg_roles where rolname = current_user")
                        .query(Boolean.class)
                        .single())
                .isFalse();
        for (String attempt : List.of(
                "alter table consent_events disable trigger all",
                "alter table consent_events disable trigger consent_events_append_only",
                "drop trigger consent_events_append_only on consent_events",
                "truncate consent_events",
                "alter table workspace_events disable trigger all",
                "create table intruder (id int)")) {
            assertThatThrownBy(() -> jdbc.sql(attempt).update()).as(attempt).isInstanceOf(DataAccessException.class);
        }
    }

    @Test
    void everyConnectionNeedsItsPasswordKeptOwnerOnlyInTheDataFolder() throws Exception {
        Path secrets = Path.of("target/test-data/secrets");
        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (String role : List.of("postgres", "optledger_app")) {
            Path file = secrets.resolve(role + ".password");
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        String url = jdbc.sql("select 'jdbc:postgresql://localhost:' || current_setting('port') || '/postgres'")
                .query(String.class)
                .single();
        for (String role : List.of("postgres", "optledger_app")) {
            assertThatThrownBy(() -> DriverManager.getConnection(url, role, ""))
                    .as(role)
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, role, "wrong"))
                    .as(role)
                    .isInstanceOf(SQLException.class);
        }
        String password =
                Files.readString(secrets.resolve("optledger_app.password")).strip();
        try (Connection app = DriverManager.getConnection(url, "optledger_app", password)) {
            assertThat(app.isValid(5)).isTrue();
        }
    }

    @Test
    void aServerLeftRunningOnTheDataFolderIsStoppedBeforeTheNextStart() throws Exception {
        Path pgData = dir.resolve("postgres");
        Files.createDirectories(pgData);
        try (EmbeddedPostgres first = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .start()) {
            assertThat(first.getPort()).isPositive();
        }
        // a server no live process owns, as a service killed with kill -9 leaves it: pg_ctl starts it detached,
        // outside the library that would hold the folder's lock
        Path bin = Path.of(commandLine(pgData).getFirst()).getParent();
        Path log = dir.resolve("pg_ctl.log");
        // in a user namespace, as the library runs it (PostgreSQL refuses to run as root)
        Process pgCtl = new ProcessBuilder(
                        "unshare",
                        "-U",
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        pgData.toString(),
                        "-o",
                        "-p " + freePort(),
                        "-w",
                        "start")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(pgCtl.waitFor()).as(Files.readString(log)).isZero();
        Path pidFile = PostmasterPidFile.of(pgData);
        long pid = PostmasterPidFile.pidOf(pgData);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isPresent();

        assertThat(OrphanedPostmaster.stopIfRunning(pgData, Duration.ofSeconds(30)))
                .isTrue();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(pidFile).doesNotExist();
        try (EmbeddedPostgres next = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .start()) {
            assertThat(next.getPort()).isPositive();
        }
    }

    @Test
    void aServerThatDiesUnderTheServiceIsStartedAgainOnTheSamePortWithEverythingCommitted() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(dir)) {
            String url = EmbeddedLockdown.url(server.port());
            String password =
                    server.credentials().existing(EmbeddedCredentials.APP_ROLE).orElseThrow();
            try (Connection owner = DriverManager.getConnection(
                    url,
                    EmbeddedCredentials.SUPERUSER,
                    server.credentials().existing(EmbeddedCredentials.SUPERUSER).orElseThrow())) {
                owner.createStatement().execute("create table survived (n int); insert into survived values (42)");
            }
            long pid = PostmasterPidFile.pidOf(dir.resolve("postgres"));
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            assertThat(server.running()).isFalse();

            server.restartIfDead();

            assertThat(server.running()).isTrue();
            try (Connection app = DriverManager.getConnection(url, EmbeddedCredentials.APP_ROLE, password)) {
                assertThat(app.isValid(5)).isTrue();
            }
            try (Connection owner = DriverManager.getConnection(
                            url,
                            EmbeddedCredentials.SUPERUSER,
                            server.credentials()
                                    .existing(EmbeddedCredentials.SUPERUSER)
                                    .orElseThrow());
                    var rows = owner.createStatement().executeQuery("select n from survived")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The server's command line as it last started, from postmaster.opts ("a" "b" ...). */
    private static List<String> commandLine(Path pgData) throws IOException {
        List<String> words = new ArrayList<>();
        Matcher quoted = Pattern.compile("\"([^\"]*)\"|(\\S+)")
                .matcher(Files.readString(pgData.resolve("postmaster.opts")).strip());
        while (quoted.find()) {
            words.add(quoted.group(1) != null ? quoted.group(1) : quoted.group(2));
        }
        return words;
    }

    @Test
    void aStalePidFileIsRemoved() throws IOException {
        Path pgData = dir.resolve("stale");
        Files.createDirectories(pgData);
        Process gone = new ProcessBuilder("true").start();
        gone.onExit().join();
        Files.writeString(PostmasterPidFile.of(pgData), gone.pid() + "\n" + pgData + "\n");

        assertThat(OrphanedPostmaster.stopIfRunning(pgData, Duration.ofSeconds(5)))
                .isFalse();

        assertThat(PostmasterPidFile.of(pgData)).doesNotExist();
    }
}
