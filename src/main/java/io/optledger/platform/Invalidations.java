package io.optledger.platform;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps node-local caches true across a cluster. A change records its invalidations in {@code cache_invalidations}
 * inside its own transaction, so they exist exactly when the change does; every node reads the rows committed since
 * its last read every {@link #POLL_MILLIS} ms, on a {@link SupervisedLoop}, and drops what they name. The node that made the change also drops them
 * itself right after its commit, before it answers.
 *
 * <p>Each read takes the rows whose transaction was not yet visible in the previous read's snapshot, so a transaction
 * that commits late (after others that started later) is still seen, once. Caches may be read only while {@link
 * #isLive()}: the last read succeeded within {@link #MAX_SILENCE}. After a failed read, or a gap longer than that,
 * every subscriber drops everything. So a committed change shows on every node within about a second, whatever
 * fails. The reads go over a connection of their own ({@link InvalidationReaderPool}), so a busy pool cannot make
 * them late.
 *
 * <p>Why not LISTEN/NOTIFY: PostgreSQL serialises the commits of notifying transactions, which cost a third of the
 * single-write throughput in the benchmark.
 */
@Component
public class Invalidations {

    public static final Duration MAX_SILENCE = Duration.ofMillis(900);
    static final long POLL_MILLIS = 100;
    static final Duration RETENTION = Duration.ofMinutes(10);

    private static final String RECORD =
            "insert into cache_invalidations (workspace_id, entries) values (:workspaceId, :entries::text[])";
    private static final String SCRUB = """
            update cache_invalidations
               set entries = array(select e from unnest(entries) as e where e <> all(:entries::text[]))
             where workspace_id = :workspaceId and entries && :entries::text[]
            """;
    private static final String SNAPSHOT = "select pg_current_snapshot()::text";
    // one statement, so the snapshot it answers is the one its rows were read under
    private static final String READ_SINCE = """
            select pg_current_snapshot()::text as snapshot, i.entries
            from (select 1) as one
            left join cache_invalidations i
              on i.tx >= pg_snapshot_xmin(cast(:previous as pg_snapshot))
             and not pg_visible_in_snapshot(i.tx, cast(:previous as pg_snapshot))
            """;
    // only rows of transactions every snapshot taken from now on sees as ended (committed or not), and old: a reader
    // that
    // has not read them within the retention has been down long enough to have dropped its caches
    private static final String FORGET = """
            delete from cache_invalidations
            where created_at < :before and tx < pg_snapshot_xmin(pg_current_snapshot())
            """;

    /** A cache that follows invalidations. */
    public interface Subscriber {
        void invalidate(Invalidation invalidation);

        void invalidateAll();
    }

    private final JdbcClient jdbc;
    private final InvalidationReaderPool reader;
    private final Clock clock;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    // monotonic: a wall clock set back or forward must not make stale caches look live
    private volatile long lastReadNanos;
    private volatile @Nullable String previous;

    Invalidations(JdbcClient jdbc, InvalidationReaderPool reader, Clock clock) {
        this.jdbc = jdbc;
        this.reader = reader;
        this.clock = clock;
    }

    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** True while caches are known to be current to within {@link #MAX_SILENCE}. */
    public boolean isLive() {
        return lastReadNanos != 0 && System.nanoTime() - lastReadNanos < MAX_SILENCE.toNanos();
    }

    /**
     * Records the invalidations in the current transaction (or at once, outside one): other nodes read them once it
     * commits, this node applies them right after its commit.
     */
    public void publish(long workspaceId, Collection<Invalidation> invalidations) {
        if (invalidations.isEmpty()) {
            return;
        }
        jdbc.sql(RECORD)
                .param("workspaceId", workspaceId)
                .param("entries", prepare(invalidations))
                .update();
    }

    /**
     * Removes the given entries from the rows already recorded (erasure: they name an erased address). A node that has
     * not read a row yet misses them, so the caller publishes one that covers them, such as {@link
     * Invalidation#allAddresses}, in the same transaction.
     */
    public void scrub(long workspaceId, Collection<Invalidation> invalidations) {
        if (invalidations.isEmpty()) {
            return;
        }
        jdbc.sql(SCRUB)
                .param("workspaceId", workspaceId)
                .param(
                        "entries",
                        invalidations.stream().map(Invalidation::encode).toArray(String[]::new))
                .update();
    }

    /**
     * For a writer that inserts the {@code cache_invalidations} row itself, as part of a statement of its own:
     * arranges this node's delivery for after the commit and answers the row's entries.
     */
    public String[] prepare(Collection<Invalidation> invalidations) {
        List<Invalidation> copy = List.copyOf(invalidations);
        AfterCommit.run(() -> deliver(copy));
        return copy.stream().map(Invalidation::encode).toArray(String[]::new);
    }

    private void deliver(Collection<Invalidation> invalidations) {
        for (Subscriber subscriber : subscribers) {
            invalidations.forEach(subscriber::invalidate);
        }
    }

    private void dropAll() {
        subscribers.forEach(Subscriber::invalidateAll);
    }

    /** One read of the invalidations committed since the last; a failure bypasses every cache until a read works. */
    void read() {
        try {
            long before = System.nanoTime();
            if (previous == null || lastReadNanos == 0 || before - lastReadNanos >= MAX_SILENCE.toNanos()) {
                // first read, or back after a gap: what was cached meanwhile may have missed a change
                previous = reader.jdbc().sql(SNAPSHOT).query(String.class).single();
                dropAll();
            } else {
                List<String> entries = new ArrayList<>();
                String[] snapshot = new String[1];
                reader.jdbc().sql(READ_SINCE).param("previous", previous).query(rs -> {
                    snapshot[0] = rs.getString("snapshot");
                    java.sql.Array array = rs.getArray("entries");
                    if (array != null) {
                        entries.addAll(List.of((String[]) array.getArray()));
                    }
                });
                deliver(entries.stream().map(Invalidation::decode).toList());
                previous = snapshot[0];
            }
            lastReadNanos = before;
        } catch (RuntimeException | Error e) {
            lastReadNanos = 0;
            dropAll();
            throw e;
        }
    }

    /** Deletes the invalidations every node has read long since. */
    void forget() {
        jdbc.sql(FORGET)
                .param("before", Timestamp.from(clock.instant().minus(RETENTION)))
                .update();
    }

    /** Reads invalidations every {@link #POLL_MILLIS} ms. */
    @Component
    static class Reader implements SupervisedLoop {

        private final Invalidations invalidations;

        Reader(Invalidations invalidations) {
            this.invalidations = invalidations;
        }

        @Override
        public String name() {
            return "invalidation-reader";
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(POLL_MILLIS);
        }

        @Override
        public Duration stallAfter() {
            return Duration.ofMinutes(1);
        }

        @Override
        public boolean runOnce() {
            invalidations.read();
            return false;
        }
    }

    /** Forgets old invalidations every minute. */
    @Component
    static class Pruner implements SupervisedLoop {

        private final Invalidations invalidations;

        Pruner(Invalidations invalidations) {
            this.invalidations = invalidations;
        }

        @Override
        public String name() {
            return "invalidation-pruner";
        }

        @Override
        public Duration interval() {
            return Duration.ofMinutes(1);
        }

        @Override
        public Duration stallAfter() {
            return Duration.ofMinutes(10);
        }

        @Override
        public boolean runOnce() {
            invalidations.forget();
            return false;
        }
    }
}
