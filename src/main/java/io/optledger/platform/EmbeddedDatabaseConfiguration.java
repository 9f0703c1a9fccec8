package io.optledger.platform;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
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

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

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

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${optledger.data-dir}") Path dataDir) throws IOException {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Files.createDirectories(pgData);
        OrphanedPostmaster.stopIfRunning(pgData, Duration.ofSeconds(30));
        EmbeddedCredentials credentials = new EmbeddedCredentials(dataDir.toAbsolutePath());
        Optional<String> superuser = credentials.existing(EmbeddedCredentials.SUPERUSER);
        EmbeddedPostgres.Builder builder =
                EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false);
        DURABLE_SERVER.forEach(builder::setServerConfig);
        // a folder set up before has the superuser's password; a new one (or one from before passwords) trusts it once
        superuser.ifPresent(password -> builder.setConnectConfig("password", password));
        EmbeddedPostgres postgres = builder.start();
        try {
            EmbeddedLockdown.apply(postgres.getPort(), credentials, superuser.orElse(null));
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), pgData);
        return postgres;
    }

    /** The application's pool: the non-superuser role, which cannot alter the ledger's tables or their triggers. */
    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres, @Value("${optledger.data-dir}") Path dataDir)
            throws IOException {
        EmbeddedCredentials credentials = new EmbeddedCredentials(dataDir.toAbsolutePath());
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(EmbeddedLockdown.url(postgres.getPort()));
        dataSource.setUsername(EmbeddedCredentials.APP_ROLE);
        dataSource.setPassword(
                credentials.existing(EmbeddedCredentials.APP_ROLE).orElseThrow());
        return dataSource;
    }

    /** Migrations run as the superuser, which owns the schema; nothing else connects as it. */
    @Bean
    @FlywayDataSource
    DataSource migrationDataSource(EmbeddedPostgres postgres, @Value("${optledger.data-dir}") Path dataDir)
            throws IOException {
        EmbeddedCredentials credentials = new EmbeddedCredentials(dataDir.toAbsolutePath());
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
        dataSource.setDriverClass(org.postgresql.Driver.class);
        dataSource.setUrl(EmbeddedLockdown.url(postgres.getPort()));
        dataSource.setUsername(EmbeddedCredentials.SUPERUSER);
        dataSource.setPassword(
                credentials.existing(EmbeddedCredentials.SUPERUSER).orElseThrow());
        return dataSource;
    }

    static class NoDatabaseUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
