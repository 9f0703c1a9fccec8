package io.optledger.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.StringUtils;

/**
 * Starts an embedded PostgreSQL, keeping its data under {@code optledger.data-dir}, when no database URL is
 * configured.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDatabaseUrl.class)
class EmbeddedDatabaseConfiguration {

    /**
     * The server's settings: durable (every acknowledged commit flushed to disk, whole pages logged after a
     * checkpoint), reachable on loopback only, and sized for a small service. The test library this server comes from
     * starts PostgreSQL with {@code -F} and {@code synchronous_commit=off}; these come later on its command line and
     * win. Documented in docs/operations.md.
     */
    static final Map<String, String> DURABLE_SERVER = durableServer();

    private static Map<String, String> durableServer() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fsync", "on");
        settings.put("synchronous_commit", "on");
        settings.put("full_page_writes", "on");
        settings.put("listen_addresses", "localhost");
        settings.put("max_connections", "200");
        settings.put("shared_buffers", "128MB");
        settings.put("max_wal_size", "1GB");
        settings.put("checkpoint_timeout", "15min");
        settings.put("checkpoint_completion_target", "0.9");
        return Collections.unmodifiableMap(settings);
    }

    /** The server {@link EmbeddedServerEarlyStart} started while the configuration was read, else started now. */
    @Bean(destroyMethod = "close")
    EmbeddedServer embeddedServer(
            @Value("${optledger.data-dir}") String dataDir, ObjectProvider<EmbeddedServerEarlyStart.Started> early)
            throws IOException {
        EmbeddedServerEarlyStart.Started started = early.getIfAvailable();
        return started != null ? started.take(Path.of(dataDir)) : EmbeddedServer.start(Path.of(dataDir));
    }

    /**
     * A training run for the JVM's AOT cache ({@code -Dspring.context.exit=onRefresh}) halts the JVM once every bean
     * exists, before anything starts and without shutdown hooks, which would leave the server running on its folder:
     * it is stopped first. Documented in docs/operations.md ("Starting faster").
     */
    @Bean
    SmartInitializingSingleton embeddedServerStopBeforeTrainingHalt(EmbeddedServer server) {
        return () -> {
            if ("onRefresh".equalsIgnoreCase(SpringProperties.getProperty("spring.context.exit"))) {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @Bean
    EmbeddedServerWatchdog embeddedServerWatchdog(EmbeddedServer server) {
        return new EmbeddedServerWatchdog(server);
    }

    /** The application's pool: the non-superuser role, which cannot alter the ledger's tables or their triggers. */
    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedServer server) throws IOException {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(EmbeddedLockdown.url(server.port()));
        dataSource.setUsername(EmbeddedCredentials.APP_ROLE);
        dataSource.setPassword(
                server.credentials().existing(EmbeddedCredentials.APP_ROLE).orElseThrow());
        return dataSource;
    }

    /** Migrations run as the superuser, which owns the schema; nothing else connects as it. */
    @Bean
    @FlywayDataSource
    DataSource migrationDataSource(EmbeddedServer server) throws IOException {
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
        dataSource.setDriverClass(org.postgresql.Driver.class);
        dataSource.setUrl(EmbeddedLockdown.url(server.port()));
        dataSource.setUsername(EmbeddedCredentials.SUPERUSER);
        dataSource.setPassword(
                server.credentials().existing(EmbeddedCredentials.SUPERUSER).orElseThrow());
        return dataSource;
    }

    static class NoDatabaseUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return matches(context.getEnvironment());
        }

        static boolean matches(Environment environment) {
            return !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
        }
    }
}
