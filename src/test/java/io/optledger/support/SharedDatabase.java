package io.optledger.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable PostgreSQL server of a test's own that several service processes share as their external database: a
 * database {@code optledger} owned by a login role {@code optledger}, as an operator would set it up.
 */
public final class SharedDatabase implements AutoCloseable {

    private static final String PASSWORD = "shared-database";

    private final EmbeddedPostgres server;

    private SharedDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts the server in {@code dataDirectory} with fsync and synchronous commit on, and creates role and database. */
    public static SharedDatabase start(Path dataDirectory) throws IOException, SQLException {
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        try (Connection superuser = server.getPostgresDatabase().getConnection()) {
            superuser.createStatement().execute("create role optledger login password '" + PASSWORD + "'");
            superuser.createStatement().execute("create database optledger owner optledger");
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new SharedDatabase(server);
    }

    /** The arguments that make a node use this database, its own files in {@code nodeDirectory}, and these more. */
    public List<String> nodeArguments(Path nodeDirectory, String... more) {
        List<String> arguments = new ArrayList<>(List.of(
                "--optledger.data-dir=" + nodeDirectory,
                "--spring.datasource.url=jdbc:postgresql://localhost:" + server.getPort() + "/optledger",
                "--spring.datasource.username=optledger",
                "--spring.datasource.password=" + PASSWORD));
        arguments.addAll(List.of(more));
        return arguments;
    }

    /** A connection as the application's role, which owns the schema. */
    public Connection owner() throws SQLException {
        return server.getDatabase("postgres", "optledger").getConnection();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
