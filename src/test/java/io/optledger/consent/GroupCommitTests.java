package io.optledger.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.optledger.contact.Channel;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.HeldCommit;
import io.optledger.support.Owner;
import io.optledger.support.TestWorkspace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Change requests that arrive while a commit is in flight are committed together, each answered with its own outcome,
 * and a request that fails fails alone. A group is formed on purpose by holding the locks of the contacts the leading
 * requests change, one in each lane ({@link HeldCommit}), so that the next requests queue behind them.
 */
@ApiTest
class GroupCommitTests {

    private static final int CLIENTS = 64;
    private static final int CHANGES_PER_CLIENT = 8;
    private static final int CONTACTS = 16;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    @Autowired
    ApplicationContext context;

    @Autowired
    GroupCommit groupCommit;

    @Autowired
    GroupCommitSettings settings;

    @Autowired
    ConsentService consent;

    @Autowired
    TransactionTemplate transactions;

    ApiClient api;
    TestWorkspace workspace;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        workspace = TestWorkspace.create(api);
    }

    @Test
    void concurrentSingleWritesEachGetTheirOwnOutcomeInOrder() throws Exception {
        List<Long> contacts = new ArrayList<>();
        for (int c = 0; c < CONTACTS; c++) {
            contacts.add(workspace.contact("group" + c + "@example.com", "+1415555" + String.format("%04d", 3000 + c)));
        }
        double requestsBefore = groupedRequests();
        double groupsBefore = groups();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Sent>>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int client = 0; client < CLIENTS; client++) {
                long contact = contacts.get(client % CONTACTS);
                int first = client;
                clients.add(pool.submit(() -> {
                    start.await();
                    List<Sent> sent = new ArrayList<>();
                    for (int i = 0; i < CHANGES_PER_CLIENT; i++) {
                        String action = (first + i) % 2 == 0 ? "OPT_IN" : "OPT_OUT";
                        sent.add(new Sent(contact, action, workspace.change(item(contact, action))));
                    }
                    return sent;
                }));
            }
            start.countDown();
            Map<Long, Map<Long, Sent>> bySeq = new HashMap<>();
            for (Future<List<Sent>> client : clients) {
                long previous = 0;
                for (Sent sent : client.get()) {
                    assertThat(sent.response.status()).as(sent.response.text()).isEqualTo(200);
                    JsonNode result = sent.response.json().at("/results/0");
                    assertThat(result.get("contactId").asLong()).isEqualTo(sent.contact);
                    long seq = result.get("eventSeq").asLong();
                    // one client's changes reach the ledger in the order it made them
                    assertThat(seq).isGreaterThan(previous);
                    previous = seq;
                    assertThat(bySeq.computeIfAbsent(sent.contact, c -> new HashMap<>())
                                    .put(seq, sent))
                            .as("two requests answered with one event")
                            .isNull();
                }
            }
            for (long contact : contacts) {
                JsonNode events = workspace.events(contact);
                Map<Long, Sent> answered = bySeq.get(contact);
                assertThat(events).hasSize(answered.size());
                for (JsonNode event : events) {
                    Sent sent = answered.get(event.get("seq").asLong());
                    // the event a request was told of is its own: its action, its request id, its resulting state
                    assertThat(event.get("action").asString()).isEqualTo(sent.action);
                    assertThat(event.get("requestId").asString()).isEqualTo(sent.response.header("X-Request-Id"));
                    assertThat(event.get("to").asString())
                            .isEqualTo(sent.response
                                    .json()
                                    .at("/results/0/subscription/status")
                                    .asString());
                }
                assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
            }
        }
        // committed together: more requests than commits
        assertThat(groupedRequests() - requestsBefore).isGreaterThan(groups() - groupsBefore);
    }

    @Test
    void badInputFailsAloneAndAtOnceWhileACommitIsInFlight() throws Exception {
        long other = workspace.contact("other@example.com", "+14155553101");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, settings, pool)) {
            Map<String, Object> bad = new HashMap<>(item(other, "OPT_IN"));
            bad.put("address", "nope@");
            // validated before it queues: answered while the commit it would join is still in flight
            ApiClient.Response refused = workspace.change(bad);
            assertThat(refused.status()).as(refused.text()).isEqualTo(400);
            Future<ApiClient.Response> queued = pool.submit(() -> workspace.change(item(other, "OPT_IN")));
            held.awaitQueued(1);
            assertThat(held.holding()).isTrue();
            held.release();
            assertThat(queued.get().status()).isEqualTo(200);
        }
        assertThat(workspace.events(other)).hasSize(1);
    }

    @Test
    void aRequestTheDatabaseRefusesFailsAloneAndTheRestOfItsGroupCommits() throws Exception {
        List<Long> others = List.of(
                workspace.contact("first@example.com", "+14155553201"),
                workspace.contact("doomed@example.com", "+14155553202"),
                workspace.contact("last@example.com", "+14155553203"));
        JdbcClient owner = Owner.jdbc(context);
        owner.sql("""
                create function group_commit_test_refuse() returns trigger language plpgsql as $$
                begin
                    if new.address = 'doomed@example.com' then
                        raise exception 'refused for the test';
                    end if;
                    return new;
                end $$""").update();
        owner.sql("create trigger group_commit_test_refuse before insert on subscriptions"
                        + " for each row execute function group_commit_test_refuse()")
                .update();
        double retriedBefore = retriedAlone();
        Map<Long, ApiClient.Response> answers = new HashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, settings, pool)) {
            Map<Long, Future<ApiClient.Response>> queued = new HashMap<>();
            for (long contact : others) {
                queued.put(
                        contact,
                        pool.submit(() -> api.post(
                                "/v1/subscriptions/changes",
                                workspace.adminKey(),
                                ApiClient.json(Map.of("items", List.of(item(contact, "OPT_IN")))),
                                Map.of("Idempotency-Key", "group-" + contact))));
                held.awaitQueued(queued.size());
            }
            held.release();
            for (var entry : queued.entrySet()) {
                answers.put(entry.getKey(), entry.getValue().get());
            }
        } finally {
            owner.sql("drop trigger group_commit_test_refuse on subscriptions").update();
            owner.sql("drop function group_commit_test_refuse()").update();
        }
        long doomed = others.get(1);
        assertThat(answers.get(doomed).status()).isEqualTo(500);
        assertThat(workspace.events(doomed)).isEmpty();
        for (long contact : List.of(others.get(0), others.get(2))) {
            assertThat(answers.get(contact).status())
                    .as(answers.get(contact).text())
                    .isEqualTo(200);
            assertThat(workspace.events(contact)).hasSize(1);
            // the idempotent response stored in the group's transaction is this request's own
            ApiClient.Response replay = api.post(
                    "/v1/subscriptions/changes",
                    workspace.adminKey(),
                    ApiClient.json(Map.of("items", List.of(item(contact, "OPT_IN")))),
                    Map.of("Idempotency-Key", "group-" + contact));
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replay.json()).isEqualTo(answers.get(contact).json());
            assertThat(replay.json().at("/results/0/contactId").asLong()).isEqualTo(contact);
        }
        // the failed request's key was freed with it: its retry is processed afresh
        ApiClient.Response retried = api.post(
                "/v1/subscriptions/changes",
                workspace.adminKey(),
                ApiClient.json(Map.of("items", List.of(item(doomed, "OPT_IN")))),
                Map.of("Idempotency-Key", "group-" + doomed));
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(retriedAlone() - retriedBefore).isEqualTo(3);
    }

    @Test
    void whenALeaderDiesTheRestOfItsGroupIsAnswered503UnwrittenAndTheNextRequestIsServed() throws Exception {
        long dying = workspace.contact("dying@example.com", "+14155553301");
        long follower = workspace.contact("follower@example.com", "+14155553302");
        ConsentBatch batch = batch(dying);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, settings, pool)) {
            // queued first, so it leads the next group; its follow-up dies with an Error in the group's transaction
            Future<Object> dies = pool.submit(() -> groupCommit.apply(batch, outcomes -> {
                throw new StackOverflowError("the leader dies");
            }));
            held.awaitQueued(1);
            Future<ApiClient.Response> queued = pool.submit(() -> workspace.change(item(follower, "OPT_IN")));
            held.awaitQueued(2);
            held.release();
            assertThat(catchThrowable(dies::get)).hasCauseInstanceOf(StackOverflowError.class);
            ApiClient.Response answered = queued.get();
            assertThat(answered.status()).as(answered.text()).isEqualTo(503);
            assertThat(answered.json().get("detail").asString()).contains("outcome is unknown");
        }
        assertThat(workspace.events(dying)).isEmpty();
        assertThat(workspace.events(follower)).isEmpty();
        // the lead was handed on: the node still commits
        assertThat(workspace.change(item(follower, "OPT_IN")).status()).isEqualTo(200);
        assertThat(workspace.events(follower)).hasSize(1);
    }

    @Test
    void writesThatWaitedForTheFirstChangeOfAContactAllCommitOnItsLedgerKey() throws Exception {
        long contact = workspace.contact("keyless@example.com", "+14155553400");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        String keys = "select count(*) from contact_ledger_keys where contact_id = ?";
        assertThat(jdbc.sql(keys).param(contact).query(Long.class).single()).isZero();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                Connection lock = holdLock(contact)) {
            // a single change (a group of its own) and a batch in a transaction of its own (as an import's or a
            // keyword's) both wait for the held lock; the first to get it makes the contact's ledger key, and the
            // second must see that key, not make another
            Future<ApiClient.Response> single = pool.submit(() -> workspace.change(item(contact, "OPT_IN")));
            awaitBlocked(1);
            Future<List<ChangeOutcome>> batch = pool.submit(() -> consent.apply(new ConsentBatch(
                    workspace.id(),
                    RequestContext.none(),
                    List.of(command(contact, Action.OPT_OUT), command(contact, Action.OPT_IN)))));
            awaitBlocked(2);
            lock.rollback();
            assertThat(single.get().status()).as(single.get().text()).isEqualTo(200);
            assertThat(batch.get()).hasSize(2).noneMatch(outcome -> outcome instanceof ChangeOutcome.Rejected);
        }
        assertThat(jdbc.sql(keys).param(contact).query(Long.class).single()).isEqualTo(1);
        assertThat(workspace.events(contact)).hasSize(3);
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void batchesJoinAGroupEachWithItsOwnOutcomesAndAContactsChangesInArrivalOrder() throws Exception {
        long shared = workspace.contact("batch-shared@example.com", "+14155553601");
        long first = workspace.contact("batch-first@example.com", "+14155553602");
        long second = workspace.contact("batch-second@example.com", "+14155553603");
        ApiClient.Response optIn;
        ApiClient.Response optOut;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                HeldCommit held = HeldCommit.start(workspace, dataSource, meters, settings, pool)) {
            Future<ApiClient.Response> queuedFirst =
                    pool.submit(() -> changes(item(first, "OPT_IN"), item(shared, "OPT_IN")));
            held.awaitQueued(1);
            Future<ApiClient.Response> queuedSecond =
                    pool.submit(() -> changes(item(shared, "OPT_OUT"), item(second, "OPT_IN"), item(first, "OPT_IN")));
            held.awaitQueued(2);
            held.release();
            optIn = queuedFirst.get();
            optOut = queuedSecond.get();
            // the two batches were one commit, after the leaders'
            assertThat(held.requests()).isEqualTo(held.leaders() + 2);
            assertThat(held.groups()).isEqualTo(held.leaders() + 1);
        }
        assertThat(optIn.status()).as(optIn.text()).isEqualTo(200);
        assertThat(optOut.status()).as(optOut.text()).isEqualTo(200);
        // each answered with its own items' outcomes, in its own order
        assertThat(optIn.json().at("/results/0/contactId").asLong()).isEqualTo(first);
        assertThat(optIn.json().at("/results/1/contactId").asLong()).isEqualTo(shared);
        assertThat(optIn.json().at("/results/1/outcome").asString()).isEqualTo("created");
        assertThat(optOut.json().at("/results/0/contactId").asLong()).isEqualTo(shared);
        assertThat(optOut.json().at("/results/0/outcome").asString()).isEqualTo("changed");
        assertThat(optOut.json().at("/results/2/outcome").asString()).isEqualTo("unchanged");
        // the contact both changed reached the ledger in arrival order: in, then out, and stays out
        JsonNode events = workspace.events(shared);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("action").asString()).isEqualTo("OPT_IN");
        assertThat(events.get(0).get("requestId").asString()).isEqualTo(optIn.header("X-Request-Id"));
        assertThat(events.get(1).get("action").asString()).isEqualTo("OPT_OUT");
        assertThat(events.get(1).get("requestId").asString()).isEqualTo(optOut.header("X-Request-Id"));
        assertThat(events.get(1).get("to").asString())
                .isEqualTo(optOut.json().at("/results/0/subscription/status").asString())
                .isNotEqualTo(events.get(0).get("to").asString());
        assertThat(workspace.verify(shared).get("valid").asBoolean()).isTrue();
    }

    @Test
    void aGroupHoldsAtMostMaxChangesAndALargerBatchCommitsAloneAtOnce() throws Exception {
        long held = workspace.contact("cap-leader@example.com", "+14155553700");
        List<Long> contacts = LongStream.range(0, 11)
                .mapToObj(i -> workspace.contact("cap" + i + "@example.com", String.format("+141555372%02d", i)))
                .toList();
        MeterRegistry registry = new SimpleMeterRegistry();
        GroupCommit capped = groupCommit(4, 1, registry);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                Connection lock = holdLock(held)) {
            Future<List<ChangeOutcome>> leader = pool.submit(() -> capped.apply(batch(held), outcomes -> outcomes));
            awaitLeaderBlocked();
            // three changes, then two (more than the cap of four with the three), then one
            List<Future<List<ChangeOutcome>>> queued = new ArrayList<>();
            int[][] requests = {{0, 1, 2}, {3, 4}, {5}};
            for (int[] request : requests) {
                long[] ids = Arrays.stream(request).mapToLong(contacts::get).toArray();
                queued.add(pool.submit(() -> capped.apply(batch(ids), outcomes -> outcomes)));
                long expected = queued.size();
                while (registry.get("optledger.consent.group.queued").gauge().value() < expected) {
                    Thread.sleep(10);
                }
            }
            // five changes, over the cap: committed alone at once, while the group before it still waits
            List<ChangeOutcome> large = capped.apply(
                    batch(contacts.subList(6, 11).stream()
                            .mapToLong(Long::longValue)
                            .toArray()),
                    outcomes -> outcomes);
            assertThat(large).hasSize(5).allMatch(outcome -> outcome instanceof ChangeOutcome.Created);
            assertThat(leader.isDone()).isFalse();
            lock.rollback();
            assertThat(leader.get()).singleElement().isInstanceOf(ChangeOutcome.Created.class);
            for (int r = 0; r < requests.length; r++) {
                List<ChangeOutcome> outcomes = queued.get(r).get();
                assertThat(outcomes).hasSize(requests[r].length);
                for (int i = 0; i < outcomes.size(); i++) {
                    ChangeOutcome.Created created = (ChangeOutcome.Created) outcomes.get(i);
                    assertThat(created.subscription().contactId()).isEqualTo(contacts.get(requests[r][i]));
                }
            }
        }
        // groups: the leader's (1 change), the three (3), then the two and the one together (3); the five not grouped
        var changes = registry.get("optledger.consent.group.changes").summary();
        assertThat(changes.count()).isEqualTo(3);
        assertThat(changes.totalAmount()).isEqualTo(7);
        assertThat(changes.max()).isEqualTo(3);
        assertThat(registry.get("optledger.consent.group.size").summary().totalAmount())
                .isEqualTo(4);
    }

    @Test
    void theNextGroupIsWrittenWhileTheGroupBeforeItCommits() throws Exception {
        long held = workspace.contact("first-group@example.com", "+14155553500");
        long next = workspace.contact("second-group@example.com", "+14155553501");
        JdbcClient owner = Owner.jdbc(context);
        // the first group's commit waits for a lock the test holds: a deferred constraint trigger runs at commit
        owner.sql("""
                create function group_commit_test_slow_commit() returns trigger language plpgsql as $$
                begin
                    if new.address = 'first-group@example.com' then
                        perform pg_advisory_xact_lock_shared(4242);
                    end if;
                    return null;
                end $$""").update();
        owner.sql(
                        "create constraint trigger group_commit_test_slow_commit after insert on subscriptions"
                                + " deferrable initially deferred for each row execute function group_commit_test_slow_commit()")
                .update();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                Connection advisory = dataSource.getConnection()) {
            advisory.setAutoCommit(false);
            try (PreparedStatement take = advisory.prepareStatement("select pg_advisory_xact_lock(4242)")) {
                take.executeQuery().close();
            }
            // one lane, so that the next request can only be written if the first hands on before its commit
            GroupCommit oneLane = groupCommit(1000, 1, new SimpleMeterRegistry());
            Future<List<ChangeOutcome>> first = pool.submit(() -> oneLane.apply(batch(held), outcomes -> outcomes));
            awaitWaiting("Lock", "advisory");
            // the first group is committing (its commit waits): the next request is written and committed meanwhile
            List<ChangeOutcome> second = oneLane.apply(batch(next), outcomes -> outcomes);
            assertThat(second).singleElement().isInstanceOf(ChangeOutcome.Created.class);
            assertThat(first.isDone()).isFalse();
            advisory.rollback();
            assertThat(first.get()).singleElement().isInstanceOf(ChangeOutcome.Created.class);
        } finally {
            owner.sql("drop trigger group_commit_test_slow_commit on subscriptions")
                    .update();
            owner.sql("drop function group_commit_test_slow_commit()").update();
        }
        assertThat(workspace.events(held)).hasSize(1);
        assertThat(workspace.events(next)).hasSize(1);
    }

    @Test
    void withTwoLanesASecondGroupIsWrittenWhileTheFirstWaitsAndAThirdQueues() throws Exception {
        long first = workspace.contact("lane-1@example.com", "+14155553801");
        long second = workspace.contact("lane-2@example.com", "+14155553802");
        long third = workspace.contact("lane-3@example.com", "+14155553803");
        MeterRegistry registry = new SimpleMeterRegistry();
        GroupCommit lanes = groupCommit(1000, 2, registry);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                Connection lock = holdLock(first)) {
            Future<List<ChangeOutcome>> blocked = pool.submit(() -> lanes.apply(batch(first), outcomes -> outcomes));
            awaitBlocked(1);
            // the second lane: written and committed while the first group still waits for its lock
            List<ChangeOutcome> written = lanes.apply(batch(second), outcomes -> outcomes);
            assertThat(written).singleElement().isInstanceOf(ChangeOutcome.Created.class);
            assertThat(blocked.isDone()).isFalse();

            // both lanes held: the next request queues until one of them hands on
            try (Connection secondLock = holdLock(second)) {
                Future<List<ChangeOutcome>> alsoBlocked =
                        pool.submit(() -> lanes.apply(batch(second), outcomes -> outcomes));
                awaitBlocked(2);
                Future<List<ChangeOutcome>> queued = pool.submit(() -> lanes.apply(batch(third), outcomes -> outcomes));
                while (registry.get("optledger.consent.group.queued").gauge().value() < 1) {
                    Thread.sleep(10);
                }
                assertThat(queued.isDone()).isFalse();
                secondLock.rollback();
                assertThat(alsoBlocked.get()).singleElement().isInstanceOf(ChangeOutcome.Unchanged.class);
                assertThat(queued.get()).singleElement().isInstanceOf(ChangeOutcome.Created.class);
            }
            assertThat(blocked.isDone()).isFalse();
            lock.rollback();
            assertThat(blocked.get()).singleElement().isInstanceOf(ChangeOutcome.Created.class);
        }
        // four groups: each request alone, the queued one taken by the lane that handed on first
        assertThat(registry.get("optledger.consent.group.size").summary().count())
                .isEqualTo(4);
        for (long contact : List.of(first, second, third)) {
            assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
        }
    }

    /** A group commit of this test's own, with these caps, recording its metrics into {@code registry}. */
    private GroupCommit groupCommit(int maxChanges, int lanes, MeterRegistry registry) {
        return new GroupCommit(
                consent,
                transactions,
                new GroupCommitSettings(true, 128, maxChanges, Duration.ofSeconds(10), lanes),
                new GroupCommitMetrics(registry));
    }

    /** A transaction that holds the contact's row lock until rolled back: a write to the contact waits for it. */
    private Connection holdLock(long contact) throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement select =
                connection.prepareStatement("select id from contacts where id = ? for update")) {
            select.setLong(1, contact);
            select.executeQuery().close();
        }
        return connection;
    }

    /** Waits until the leading request waits for the held lock. */
    private void awaitLeaderBlocked() throws InterruptedException {
        awaitBlocked(1);
    }

    /** Waits until this many writes wait to lock their contacts. */
    private void awaitBlocked(int writes) throws InterruptedException {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        while (jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                                + " and query like '%for no key update of c%'")
                        .query(Long.class)
                        .single()
                < writes) {
            Thread.sleep(10);
        }
    }

    /** Waits until a session waits for an event of this type and kind (pg_stat_activity's wait_event_type, wait_event). */
    private void awaitWaiting(String type, String event) throws InterruptedException {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        while (jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = ? and wait_event = ?")
                        .params(type, event)
                        .query(Long.class)
                        .single()
                == 0) {
            Thread.sleep(10);
        }
    }

    private double groupedRequests() {
        return meters.get("optledger.consent.group.size").summary().totalAmount();
    }

    private double groups() {
        return meters.get("optledger.consent.group.size").summary().count();
    }

    private double retriedAlone() {
        return meters.get("optledger.consent.group.retried.alone").counter().count();
    }

    @SafeVarargs
    private ApiClient.Response changes(Map<String, Object>... items) {
        return api.post(
                "/v1/subscriptions/changes",
                workspace.adminKey(),
                ApiClient.json(Map.of("items", List.of(items))),
                Map.of());
    }

    /** An opt-in to marketing by email for each contact, as one batch. */
    private ConsentBatch batch(long... contacts) {
        return new ConsentBatch(
                workspace.id(),
                RequestContext.none(),
                LongStream.of(contacts)
                        .mapToObj(contact -> command(contact, Action.OPT_IN))
                        .toList());
    }

    private static ConsentCommand command(long contact, Action action) {
        return new ConsentCommand(
                ContactRef.id(contact), Channel.EMAIL, null, "marketing", action, null, null, Provenance.of("test"));
    }

    private static Map<String, Object> item(long contact, String action) {
        return Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action);
    }

    private record Sent(long contact, String action, ApiClient.Response response) {}
}
