package io.optledger.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Starts the embedded PostgreSQL while Spring reads its configuration, instead of after: stopping a server an earlier
 * run left behind and starting this one (about 2.5 s after a crash, mostly waiting on PostgreSQL) overlap the four
 * seconds of evaluating configuration classes that come before any bean. {@link EmbeddedDatabaseConfiguration}'s
 * server bean takes the started server; without this initializer (the tests' contexts) it starts one itself.
 *
 * <p>Added by the service's {@code main} only: a test context may add its data folder to the environment after
 * initializers like this one have run, and would then start a server on the default folder.
 */
public final class EmbeddedServerEarlyStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String BEAN = "embeddedServerEarlyStart";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Environment environment = context.getEnvironment();
        String dataDir = environment.getProperty("optledger.data-dir");
        if (!EmbeddedDatabaseConfiguration.NoDatabaseUrl.matches(environment)
                || dataDir == null
                || dataDir.isBlank()
                || !(context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry)) {
            return;
        }
        Started started = new Started(Path.of(dataDir));
        registry.registerSingleton(BEAN, started);
        // a refresh that fails before the server bean takes the server still stops it
        registry.registerDisposableBean(BEAN, started::closeUnlessTaken);
    }

    /** The server being started for a data folder, taken once by the server bean, which then owns it. */
    static final class Started {

        private final Path dataDir;
        private final CompletableFuture<EmbeddedServer> server = new CompletableFuture<>();
        private final AtomicBoolean taken = new AtomicBoolean();

        Started(Path dataDir) {
            this.dataDir = dataDir;
            Thread.ofPlatform().name("embedded-postgres-start").daemon(true).start(() -> {
                try {
                    server.complete(EmbeddedServer.start(dataDir));
                } catch (Throwable e) {
                    // errors too: the server bean waits on this future, and rethrows what ended it
                    server.completeExceptionally(e);
                }
            });
        }

        /** The started server (waiting for it), which the caller then owns; {@code dataDir} is the folder it expects. */
        EmbeddedServer take(Path dataDir) throws IOException {
            if (!this.dataDir.equals(dataDir)) {
                throw new IllegalStateException(
                        "the embedded PostgreSQL was started for " + this.dataDir + ", not " + dataDir);
            }
            if (!taken.compareAndSet(false, true)) {
                throw new IllegalStateException("the embedded PostgreSQL of " + dataDir + " was taken already");
            }
            return await();
        }

        void closeUnlessTaken() {
            if (!taken.compareAndSet(false, true)) {
                return;
            }
            EmbeddedServer started;
            try {
                started = await();
            } catch (IOException | RuntimeException e) {
                return; // it never started: nothing to stop (the failure is the server bean's to report)
            }
            try {
                started.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private EmbeddedServer await() throws IOException {
            try {
                return server.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the embedded PostgreSQL started", e);
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case IOException io -> throw io;
                    case RuntimeException runtime -> throw runtime;
                    case Error error -> throw error;
                    default -> throw new IOException("the embedded PostgreSQL did not start", e.getCause());
                }
            }
        }
    }
}
