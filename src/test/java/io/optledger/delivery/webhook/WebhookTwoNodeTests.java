package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ServiceProcess;
import io.optledger.support.SharedDatabase;
import io.optledger.support.TestWorkspace;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two service processes on one PostgreSQL, both fanning out and delivering, while writers change 20 contacts through
 * both at once: the receiver gets every change exactly once (counted by webhook-id), each contact's in order, each
 * signed. Slow (real processes): {@code mvn -Pslow test -Dtest=WebhookTwoNodeTests}.
 */
@Tag("slow")
class WebhookTwoNodeTests {

    private static final int CONTACTS = 20;
    private static final int CHANGES = 10;
    private static final List<String> ACTIONS = List.of("OPT_IN", "OPT_OUT");

    @TempDir
    Path dir;

    @Test
    void twoNodesDeliverEachEventExactlyOnceAndInOrderPerContact() throws Exception {
        try (Receiver receiver = Receiver.start();
                SharedDatabase database = SharedDatabase.start(dir.resolve("pg"))) {
            receiver.answer(r -> new Receiver.Answer(200, Map.of(), "", Duration.ofMillis(5)));
            List<String> arguments = database.nodeArguments(
                    dir.resolve("node"),
                    "--optledger.webhooks.allow-private-networks=true",
                    "--optledger.webhooks.poll-interval=50ms");
            try (ServiceProcess a = ServiceProcess.start("webhooks-a", arguments);
                    ServiceProcess b = ServiceProcess.start("webhooks-b", arguments)) {
                run(List.of(a.api(), b.api()), receiver, database);
            }
        }
    }

    private void run(List<ApiClient> nodes, Receiver receiver, SharedDatabase database) throws Exception {
        TestWorkspace workspace = TestWorkspace.create(nodes.get(0));
        String key = workspace.adminKey();
        ApiClient.Response created =
                nodes.get(1).post("/v1/webhooks", key, ApiClient.json(Map.of("url", receiver.url("/hooks"))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String secret = created.json().get("secret").asString();
        List<Long> contacts = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            contacts.add(workspace.contact("n" + i + "@example.com", "+1415555" + (5000 + i)));
        }

        // each contact's changes in turn on one node then the other; the contacts all at once
        Instant writing = Instant.now();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CONTACTS; i++) {
                long contact = contacts.get(i);
                done.add(writers.submit(() -> {
                    for (int n = 0; n < CHANGES; n++) {
                        ApiClient.Response response = nodes.get(n % 2)
                                .post(
                                        "/v1/subscriptions/changes",
                                        key,
                                        ApiClient.json(Map.of(
                                                "items",
                                                List.of(Map.of(
                                                        "contactId",
                                                        contact,
                                                        "channel",
                                                        "EMAIL",
                                                        "topic",
                                                        "marketing",
                                                        "action",
                                                        ACTIONS.get(n % 2))))));
                        assertThat(response.status()).as(response.text()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        Instant written = Instant.now();
        List<Receiver.Received> received;
        try {
            received = receiver.await("every change", r -> r.size() >= CONTACTS * CHANGES);
        } catch (AssertionError e) {
            System.out.println(missing(database, contacts, receiver.received()));
            throw e;
        }
        Thread.sleep(2_000); // any duplicate would come within this
        received = receiver.received();

        Map<String, Long> byId =
                received.stream().collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        assertThat(byId).hasSize(CONTACTS * CHANGES);
        assertThat(byId.values()).as("each webhook-id received once").containsOnly(1L);
        Map<Long, List<String>> actions = new HashMap<>();
        List<Long> lags = new ArrayList<>();
        for (Receiver.Received request : received) {
            assertThat(SpecVerifier.verifies(secret, request)).isTrue();
            JsonNode data = request.json().get("data");
            actions.computeIfAbsent(data.get("contactId").asLong(), c -> new ArrayList<>())
                    .add(data.get("action").asString());
            lags.add(Duration.between(Instant.parse(data.get("recordedAt").asString()), request.at())
                    .toMillis());
        }
        List<String> sent = new ArrayList<>();
        for (int n = 0; n < CHANGES; n++) {
            sent.add(ACTIONS.get(n % 2));
        }
        for (long contact : contacts) {
            assertThat(actions.get(contact)).as("contact %d", contact).isEqualTo(sent);
        }
        Collections.sort(lags);
        System.out.printf(
                "two nodes: %d changes written in %d ms, all received %d ms after the last write; lag from recording"
                        + " to receipt p50 %d ms, p99 %d ms, max %d ms%n",
                CONTACTS * CHANGES,
                Duration.between(writing, written).toMillis(),
                Duration.between(written, received.getLast().at()).toMillis(),
                lags.get(lags.size() / 2),
                lags.get(lags.size() * 99 / 100),
                lags.getLast());
    }

    /**
     * For each contact with fewer events received than written: its lane, deliveries and their attempts, the outbox
     * rows and the fan-out's cursor, as the shared database holds them now, so a failure says where the events stopped.
     */
    private static String missing(SharedDatabase database, List<Long> contacts, List<Receiver.Received> received)
            throws SQLException {
        Map<Long, Long> counts = received.stream()
                .collect(Collectors.groupingBy(
                        r -> r.json().get("data").get("contactId").asLong(), Collectors.counting()));
        StringBuilder out = new StringBuilder("missing events, as the database has them at " + Instant.now() + ":\n");
        try (Connection db = database.owner()) {
            out.append(rows(db, "select * from webhook_fanout", null));
            for (long contact : contacts) {
                if (counts.getOrDefault(contact, 0L) >= CHANGES) {
                    continue;
                }
                out.append("contact ")
                        .append(contact)
                        .append(": received ")
                        .append(counts.getOrDefault(contact, 0L))
                        .append('\n');
                out.append(rows(
                        db,
                        "select endpoint_id, due_at, lease_until, claim from webhook_lanes where contact_id = ?",
                        contact));
                out.append(rows(
                        db,
                        "select id, outbox_id, seq, status, attempts, next_attempt_at, created_at, finished_at,"
                                + " last_status, last_error from webhook_deliveries where contact_id = ?"
                                + " order by seq, outbox_id",
                        contact));
                out.append(rows(
                        db,
                        "select a.delivery_id, a.started_at, a.status_code, a.error from webhook_attempts a"
                                + " join webhook_deliveries d on d.workspace_id = a.workspace_id"
                                + " and d.id = a.delivery_id where d.contact_id = ? order by a.started_at",
                        contact));
                out.append(rows(
                        db,
                        "select id, event_type, created_at, xmin from outbox where contact_id = ? order by id",
                        contact));
            }
        }
        return out.toString();
    }

    private static String rows(Connection db, String sql, Long contact) throws SQLException {
        StringBuilder out = new StringBuilder("  ").append(sql).append('\n');
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            if (contact != null) {
                statement.setLong(1, contact);
            }
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    out.append("   ");
                    for (int i = 1; i <= columns; i++) {
                        out.append(' ')
                                .append(rs.getMetaData().getColumnName(i))
                                .append('=')
                                .append(rs.getString(i));
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }
}
