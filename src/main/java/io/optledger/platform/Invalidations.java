package io.optledger.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps node-local caches true across a cluster. A change publishes its invalidations inside its transaction as a
 * PostgreSQL {@code NOTIFY}, which every node's listener receives when, and only if, the transaction commits; the
 * publishing node also applies them itself right after its commit, before it answers.
 *
 * <p>Caches may be read only while {@link #isLive()}: the listener has polled within {@link #MAX_SILENCE}. When it
 * loses its connection, every subscriber is told to drop everything, and is told again once it is back, since
 * notifications sent meanwhile are lost. So a committed change shows on every node within about a second, whatever
 * fails.
 */
@Component
public class Invalidations implements SmartLifecycle {

    public static final String CHANNEL = "optledger_invalidate";
    public static final Duration MAX_SILENCE = Duration.ofMillis(900);
    private static final int POLL_MILLIS = 200;
    // PostgreSQL's payload limit is 8000 bytes; lines are packed into payloads below it
    private static final int MAX_PAYLOAD = 7_000;
    private static final String NOTIFY =
            "select pg_notify('" + CHANNEL + "', payload) from unnest(:payloads::text[]) as payload";

    private static final Logger log = LoggerFactory.getLogger(Invalidations.class);

    /** A cache that follows invalidations. */
    public interface Subscriber {
        void invalidate(Invalidation invalidation);

        void invalidateAll();
    }

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile long lastPollMillis;
    private volatile boolean running;
    private Thread listener;

    Invalidations(DataSource dataSource, JdbcClient jdbc, Clock clock) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** True while caches are known to be current to within {@link #MAX_SILENCE}. */
    public boolean isLive() {
        return clock.millis() - lastPollMillis < MAX_SILENCE.toMillis();
    }

    /**
     * Publishes within the current transaction: other nodes hear of it on commit, this node right after commit.
     * Outside a transaction (there is none to wait for) both happen at once.
     */
    public void publish(Collection<Invalidation> invalidations) {
        if (invalidations.isEmpty()) {
            return;
        }
        jdbc.sql(NOTIFY).param("payloads", prepare(invalidations)).query().listOfRows();
    }

    /**
     * For a writer that sends the NOTIFY itself, inside a statement of its own, on {@link #CHANNEL}: arranges this
     * node's delivery for after the commit and answers the payloads to send.
     */
    public String[] prepare(Collection<Invalidation> invalidations) {
        List<Invalidation> copy = List.copyOf(invalidations);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    deliver(copy);
                }
            });
        } else {
            deliver(copy);
        }
        return copy.isEmpty() ? new String[0] : payloads(copy);
    }

    private void deliver(Collection<Invalidation> invalidations) {
        for (Subscriber subscriber : subscribers) {
            invalidations.forEach(subscriber::invalidate);
        }
    }

    private void dropAll() {
        subscribers.forEach(Subscriber::invalidateAll);
    }

    private static String[] payloads(List<Invalidation> invalidations) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        for (Invalidation invalidation : invalidations) {
            String line = invalidation.encode();
            if (!payload.isEmpty() && payload.length() + line.length() + 1 > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload.setLength(0);
            }
            payload.append(payload.isEmpty() ? "" : "\n").append(line);
        }
        payloads.add(payload.toString());
        return payloads.toArray(String[]::new);
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                // anything cached before this point may have missed a notification
                dropAll();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    lastPollMillis = clock.millis();
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            log.debug("Invalidations received: {}", notification.getParameter());
                            notification
                                    .getParameter()
                                    .lines()
                                    .map(Invalidation::decode)
                                    .forEach(i -> deliver(List.of(i)));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                lastPollMillis = 0;
                dropAll();
                if (running) {
                    log.warn(
                            "Invalidation listener lost its connection, caches bypassed until it is back: {}",
                            e.getMessage());
                    sleep();
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        listener = Thread.ofPlatform().name("invalidation-listener").daemon().start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        lastPollMillis = 0;
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
