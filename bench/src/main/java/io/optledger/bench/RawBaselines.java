package io.optledger.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The honest ceiling: the same work as the service does, straight over JDBC on the same PostgreSQL, with durable
 * commits. Writes go to copies of the service's tables (same columns and indexes, no triggers) holding the service's
 * own subscriptions and ledger rows, so that both write into tables of the same size; reads go to the real one.
 */
final class RawBaselines {

    private static final String SETUP = """
            drop table if exists bench_raw_subscriptions, bench_raw_events, bench_raw_outbox;
            create table bench_raw_subscriptions (like subscriptions including defaults including identity including indexes);
            create table bench_raw_events (like consent_events including defaults including indexes);
            create table bench_raw_outbox (like outbox including all);
            drop sequence if exists bench_raw_seq;
            create sequence bench_raw_seq;
            """;
    // the outbox stays empty: it is a queue, and the service's is drained as it is written
    private static final String FILL = """
            insert into bench_raw_subscriptions select * from subscriptions;
            insert into bench_raw_events select * from consent_events;
            select setval('bench_raw_seq', (select coalesce(max(seq), 0) + 1 from bench_raw_events));
            analyze bench_raw_subscriptions, bench_raw_events;
            """;
    private static final String UPSERT_ONE = """
            insert into bench_raw_subscriptions (workspace_id, contact_id, channel, address, topic_key, status,
                occurred_at, source, updated_at)
            values (1, ?, 'EMAIL', ?, 'marketing', ?, ?, 'bench', ?)
            on conflict (workspace_id, contact_id, channel, address, topic_key) do update
            set status = excluded.status, occurred_at = excluded.occurred_at, updated_at = excluded.updated_at
            """;
    private static final String EVENT_ONE = """
            insert into bench_raw_events (workspace_id, contact_id, seq, channel, address, topic_key, action, outcome,
                to_status, occurred_at, recorded_at, source, prev_hash, hash)
            values (1, ?, nextval('bench_raw_seq'), 'EMAIL', ?, 'marketing', ?, 'CHANGED', ?, ?, ?, 'bench', ?, ?)
            """;
    private static final String OUTBOX_ONE = """
            insert into bench_raw_outbox (workspace_id, contact_id, event_type, payload, created_at)
            values (1, ?, 'subscription.changed', ?::jsonb, ?)
            """;
    private static final String UPSERT_MANY = """
            insert into bench_raw_subscriptions (workspace_id, contact_id, channel, address, topic_key, status,
                occurred_at, source, updated_at)
            select distinct on (c) 1, c, 'EMAIL', a, 'marketing', s, ?, 'bench', ?
            from unnest(?::bigint[], ?::text[], ?::text[]) as t(c, a, s)
            on conflict (workspace_id, contact_id, channel, address, topic_key) do update
            set status = excluded.status, occurred_at = excluded.occurred_at, updated_at = excluded.updated_at
            """;
    private static final String EVENT_MANY = """
            insert into bench_raw_events (workspace_id, contact_id, seq, channel, address, topic_key, action, outcome,
                to_status, occurred_at, recorded_at, source, prev_hash, hash)
            select 1, c, nextval('bench_raw_seq'), 'EMAIL', a, 'marketing', s, 'CHANGED', s, ?, ?, 'bench', p, h
            from unnest(?::bigint[], ?::text[], ?::text[], ?::bytea[], ?::bytea[]) as t(c, a, s, p, h)
            """;
    private static final String OUTBOX_MANY = """
            insert into bench_raw_outbox (workspace_id, contact_id, event_type, payload, created_at)
            select 1, c, 'subscription.changed', j::jsonb, ? from unnest(?::bigint[], ?::text[]) as t(c, j)
            """;
    private static final String POINT_SELECT = """
            select status, suspended_until, occurred_at from subscriptions
            where workspace_id = 1 and channel = 'EMAIL' and address = ? and topic_key = 'marketing'
            """;

    private final String url;
    private final String user;
    private final String password;
    private final int contacts;
    private final Duration warmup;
    private final Duration measure;
    private final int windows;

    RawBaselines(
            String url, String user, String password, int contacts, Duration warmup, Duration measure, int windows) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.contacts = contacts;
        this.warmup = warmup;
        this.measure = measure;
        this.windows = windows;
    }

    /** Creates the raw tables and fills them with the service's rows; answers what it did, for the log. */
    String setUp() throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(SETUP);
            statement.execute(FILL);
            long rows = count(statement, "bench_raw_subscriptions");
            long events = count(statement, "bench_raw_events");
            // the copy's WAL is checkpointed now, not in the raw windows' time
            String checkpoint = checkpoint(statement);
            return String.format(
                    Locale.ROOT,
                    "Raw tables filled with the service's %,d subscriptions and %,d ledger rows, %s, in %.1f s",
                    rows,
                    events,
                    checkpoint,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** A checkpoint, where the role may ask for one (a superuser or pg_checkpoint); answers which, for the log. */
    static String checkpoint(Statement statement) {
        try {
            statement.execute("checkpoint");
            return "checkpointed";
        } catch (SQLException e) {
            return "not checkpointed (" + e.getMessage() + ")";
        }
    }

    /**
     * A checkpoint before a latency loop, the service's and raw's alike: the writes of the scenarios before it are then
     * flushed before its windows rather than during them (a checkpoint's data writes slow the disk's WAL flushes, and so
     * every commit waiting on one). Answers which, for the log.
     */
    static String checkpoint(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            return checkpoint(statement);
        }
    }

    private static long count(Statement statement, String table) throws SQLException {
        try (ResultSet rows = statement.executeQuery("select count(*) from " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** (a) One change per transaction: state upsert, ledger insert, outbox insert, commit. */
    Measured singleChanges(int threads) throws InterruptedException {
        return run("raw (a) 1 change/tx", threads, 1, this::oneChange);
    }

    /**
     * (a) at a fixed arrival rate, as the service's open loops: the latency of a durable one-change transaction on
     * this machine at the same load, the reference for the service's single-write tail.
     */
    Measured singleChangesOpen(String name, double perSecond, int connections) throws InterruptedException {
        long start = System.nanoTime() + 50_000_000;
        Windows measured = new Windows(start + warmup.toNanos(), measure, windows);
        return run(name, connections, 1, measured, Schedule.open(start, perSecond, measured.to()), this::oneChange);
    }

    private Work oneChange(Connection connection) throws SQLException {
        PreparedStatement upsert = connection.prepareStatement(UPSERT_ONE);
        PreparedStatement event = connection.prepareStatement(EVENT_ONE);
        PreparedStatement outbox = connection.prepareStatement(OUTBOX_ONE);
        return random -> {
            long contact = 1 + random.nextInt(contacts);
            String address = Scenarios.email(contact);
            String status = random.nextBoolean() ? "SUBSCRIBED" : "UNSUBSCRIBED";
            Timestamp now = Timestamp.from(Instant.now());
            upsert.setLong(1, contact);
            upsert.setString(2, address);
            upsert.setString(3, status);
            upsert.setTimestamp(4, now);
            upsert.setTimestamp(5, now);
            upsert.executeUpdate();
            event.setLong(1, contact);
            event.setString(2, address);
            event.setString(3, status.equals("SUBSCRIBED") ? "OPT_IN" : "OPT_OUT");
            event.setString(4, status);
            event.setTimestamp(5, now);
            event.setTimestamp(6, now);
            event.setBytes(7, hash(random));
            event.setBytes(8, hash(random));
            event.executeUpdate();
            outbox.setLong(1, contact);
            outbox.setString(2, payload(contact, status));
            outbox.setTimestamp(3, now);
            outbox.executeUpdate();
            connection.commit();
        };
    }

    /** (b) 100 changes per transaction, set-based: three statements over arrays, commit. */
    Measured batchChanges(int threads, int batch) throws InterruptedException {
        return run("raw (b) " + batch + " changes/tx", threads, batch, connection -> {
            PreparedStatement upsert = connection.prepareStatement(UPSERT_MANY);
            PreparedStatement event = connection.prepareStatement(EVENT_MANY);
            PreparedStatement outbox = connection.prepareStatement(OUTBOX_MANY);
            return random -> {
                Long[] ids = new Long[batch];
                String[] addresses = new String[batch];
                String[] statuses = new String[batch];
                byte[][] prev = new byte[batch][];
                byte[][] hashes = new byte[batch][];
                String[] payloads = new String[batch];
                for (int i = 0; i < batch; i++) {
                    ids[i] = 1L + random.nextInt(contacts);
                }
                // rows locked in one order by every transaction: no deadlocks, as the service does
                java.util.Arrays.sort(ids);
                for (int i = 0; i < batch; i++) {
                    addresses[i] = Scenarios.email(ids[i]);
                    statuses[i] = random.nextBoolean() ? "SUBSCRIBED" : "UNSUBSCRIBED";
                    prev[i] = hash(random);
                    hashes[i] = hash(random);
                    payloads[i] = payload(ids[i], statuses[i]);
                }
                Timestamp now = Timestamp.from(Instant.now());
                upsert.setTimestamp(1, now);
                upsert.setTimestamp(2, now);
                upsert.setArray(3, connection.createArrayOf("bigint", ids));
                upsert.setArray(4, connection.createArrayOf("text", addresses));
                upsert.setArray(5, connection.createArrayOf("text", statuses));
                upsert.executeUpdate();
                event.setTimestamp(1, now);
                event.setTimestamp(2, now);
                event.setArray(3, connection.createArrayOf("bigint", ids));
                event.setArray(4, connection.createArrayOf("text", addresses));
                event.setArray(5, connection.createArrayOf("text", statuses));
                event.setObject(6, prev);
                event.setObject(7, hashes);
                event.executeUpdate();
                outbox.setTimestamp(1, now);
                outbox.setArray(2, connection.createArrayOf("bigint", ids));
                outbox.setArray(3, connection.createArrayOf("text", payloads));
                outbox.executeUpdate();
                connection.commit();
            };
        });
    }

    /** (c) The point select an eligibility check minimally needs. */
    Measured pointSelects(int threads) throws InterruptedException {
        return run("raw (c) point select", threads, 1, connection -> {
            connection.setAutoCommit(true);
            PreparedStatement select = connection.prepareStatement(POINT_SELECT);
            return random -> {
                select.setString(1, Scenarios.email(1 + random.nextInt(contacts)));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        rows.getString(1);
                    }
                }
            };
        });
    }

    private interface Work {
        void once(ThreadLocalRandom random) throws SQLException;
    }

    private interface Prepared {
        Work prepare(Connection connection) throws SQLException;
    }

    private Measured run(String name, int threads, int units, Prepared prepared) throws InterruptedException {
        Windows measured = new Windows(System.nanoTime() + warmup.toNanos(), measure, windows);
        return run(name, threads, units, measured, Schedule.closed(measured.to()), prepared);
    }

    private Measured run(String name, int threads, int units, Windows measured, Schedule schedule, Prepared prepared)
            throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name(name + "-" + t).start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try (Connection connection = connect()) {
                    connection.setAutoCommit(false);
                    Work work = prepared.prepare(connection);
                    for (long from = schedule.next(); from >= 0; from = schedule.next()) {
                        try {
                            work.once(random);
                            measured.record(from, System.nanoTime(), null);
                        } catch (SQLException e) {
                            connection.rollback();
                            measured.failed(e.getMessage());
                        }
                    }
                } catch (SQLException e) {
                    measured.failed(e.getMessage());
                }
            }));
        }
        double[] cpu = measured.await(null);
        for (Thread worker : workers) {
            worker.join();
        }
        return measured.measured(name, units, cpu);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static byte[] hash(ThreadLocalRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String payload(long contact, String status) {
        return "{\"workspaceId\":1,\"contactId\":" + contact + ",\"channel\":\"EMAIL\",\"address\":\""
                + Scenarios.email(contact) + "\",\"topic\":\"marketing\",\"to\":\"" + status + "\"}";
    }
}
