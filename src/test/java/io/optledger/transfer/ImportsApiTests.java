package io.optledger.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WorkspaceApiTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Imports over real HTTP: rows applied by the consent rules as API calls are (stale rows kept off, mandatory topics
 * and suppressions held, contacts matched or created by identifier), a dry run that counts what the real run does, a
 * second upload that changes nothing, the rejects stream, cancelling, and malformed files refused whole.
 */
class ImportsApiTests extends WorkspaceApiTest {

    private static final String CSV = "text/csv";
    private static final String NDJSON = "application/x-ndjson";
    private static final String FILE = """
            email,phone,channel,topic,status,occurredAt
            a@example.com,,EMAIL,marketing,subscribed,2024-01-01T00:00:00Z
            b@example.com,,EMAIL,marketing,subscribed,2024-01-01T00:00:00Z
            B@Example.com,,EMAIL,marketing,subscribed,2024-01-01T00:00:00Z
            c@example.com,,EMAIL,transactional,unsubscribed,2024-01-01T00:00:00Z
            d@example.com,not-a-phone,SMS,marketing,subscribed,2024-01-01T00:00:00Z
            e@example.com,,EMAIL,no-such-topic,subscribed,2024-01-01T00:00:00Z
            s@example.com,,EMAIL,marketing,subscribed,2024-01-01T00:00:00Z
            """;

    private ImportClient imports;

    @Autowired
    private DataSource dataSource;

    @BeforeEach
    void setUp() {
        imports = new ImportClient(port, workspace.adminKey());
    }

    @Test
    void appliesRowsByTheConsentRulesAndCountsEachOutcome() throws Exception {
        long a = workspace.contact("a@example.com", "+14155550100");
        // a newer opt-out that an older opt-in in the file must not undo
        assertThat(workspace
                        .change(Map.of(
                                "contactId", a,
                                "channel", "EMAIL",
                                "topic", "marketing",
                                "action", "OPT_OUT",
                                "occurredAt", "2024-06-01T00:00:00Z"))
                        .status())
                .isEqualTo(200);
        assertThat(api.patch("/v1/topics/transactional", workspace.adminKey(), "{\"mandatory\": true}")
                        .status())
                .isEqualTo(200);
        assertThat(api.post(
                                "/v1/suppressions",
                                workspace.adminKey(),
                                "{\"channel\":\"EMAIL\",\"address\":\"s@example.com\",\"reason\":\"COMPLAINT\"}")
                        .status())
                .isEqualTo(201);

        JsonNode dry = imports.run("dryRun=true", CSV, FILE);
        assertThat(api.get("/v1/contacts?email=b@example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .as("a dry run writes nothing")
                .isEmpty();

        JsonNode job = imports.run("", CSV, FILE);
        assertThat(job.get("outcomes")).isEqualTo(dry.get("outcomes"));
        JsonNode outcomes = job.get("outcomes");
        assertThat(outcomes.get("created").asLong()).isEqualTo(2);
        assertThat(outcomes.get("unchanged").asLong()).isEqualTo(1);
        assertThat(outcomes.get("stale").asLong()).isEqualTo(1);
        assertThat(outcomes.get("rejected").asLong()).isEqualTo(3);
        assertThat(outcomes.get("rejectedBy").get("mandatory_topic").asLong()).isEqualTo(1);
        assertThat(outcomes.get("rejectedBy").get("invalid_phone").asLong()).isEqualTo(1);
        assertThat(outcomes.get("rejectedBy").get("unknown_topic").asLong()).isEqualTo(1);
        assertThat(job.at("/rows/read").asLong()).isEqualTo(7);
        assertThat(job.at("/rows/done").asLong()).isEqualTo(7);
        assertThat(job.at("/samples/stale/0/row").asLong()).isEqualTo(1);
        assertThat(job.at("/samples/rejected/invalid_phone/0/row").asLong()).isEqualTo(5);

        // the newer opt-out holds, the suppression holds, the new contact's subscription is on the ledger
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&contactId=" + a)
                        .get("eligible")
                        .asBoolean())
                .isFalse();
        JsonNode suppressed = workspace.eligibility("channel=EMAIL&topic=marketing&email=s@example.com");
        assertThat(suppressed.get("eligible").asBoolean()).isFalse();
        assertThat(suppressed.at("/reasons/0/code").asString()).isEqualTo("suppressed");
        long b = api.get("/v1/contacts?email=b@example.com", workspace.adminKey())
                .json()
                .at("/contacts/0/id")
                .asLong();
        JsonNode events = workspace.events(b);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("source").asString())
                .isEqualTo("import:" + job.get("id").asString());
        assertThat(events.get(0).get("occurredAt").asString()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(workspace.verify(b).get("valid").asBoolean()).isTrue();

        ApiClient.Response rejects = imports.get("/v1/imports/" + job.get("id").asString() + "/rejects", "text/csv");
        assertThat(rejects.status()).as(rejects.text()).isEqualTo(200);
        assertThat(rejects.header("Content-Type")).startsWith("text/csv");
        List<String> lines = rejects.text().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("row,reason,message");
        assertThat(lines.subList(1, lines.size()))
                .extracting(line -> line.substring(0, line.indexOf(',', line.indexOf(',') + 1)))
                .containsExactly("4,mandatory_topic", "5,invalid_phone", "6,unknown_topic");
        ApiClient.Response ndjson =
                imports.get("/v1/imports/" + job.get("id").asString() + "/rejects?format=ndjson", "*/*");
        assertThat(ndjson.text().lines().toList()).hasSize(3);

        // the same file again doubles nothing
        JsonNode again = imports.run("", CSV, FILE);
        assertThat(again.at("/outcomes/created").asLong()).isZero();
        assertThat(again.at("/outcomes/changed").asLong()).isZero();
        assertThat(again.at("/outcomes/unchanged").asLong()).isEqualTo(3);
        assertThat(again.at("/outcomes/stale").asLong()).isEqualTo(1);
        assertThat(api.get("/v1/contacts?email=b@example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .hasSize(1);
    }

    @Test
    void readsMappedColumnsDefaultsAndNdjson() throws Exception {
        String csv = "\uFEFFE-mail,Mobile,When\r\n"
                + "\"ann@example.com\",\"+1 (415) 555-0101\",2024-02-01T10:00:00+01:00\r\n"
                + "\"bob@example.com\",,\r\n";
        JsonNode job = imports.run(
                "map.email=E-mail&map.phone=Mobile&map.occurredAt=When&default.channel=EMAIL&default.topic=marketing"
                        + "&default.status=subscribed&default.source=old-vendor",
                CSV,
                csv);
        assertThat(job.at("/outcomes/created").asLong()).as(job.toString()).isEqualTo(2);
        JsonNode ann = api.get("/v1/contacts?email=ann@example.com", workspace.adminKey())
                .json()
                .at("/contacts/0");
        assertThat(ann.get("phone").asString()).isEqualTo("+14155550101");
        JsonNode event = workspace.events(ann.get("id").asLong()).get(0);
        assertThat(event.get("occurredAt").asString()).isEqualTo("2024-02-01T09:00:00Z");
        assertThat(event.at("/details/originalSource").asString()).isEqualTo("old-vendor");

        String ndjson = """
                {"phone": "+14155550102", "channel": "SMS", "topic": "marketing", "status": "opt_in", "ip": "192.0.2.1"}
                {"externalId": 42, "identifiers": {"shopifyId": "s-1"}, "channel": "EMAIL", "address": "x@example.com", "topic": "marketing", "status": "unsubscribed"}

                {"email": "ann@example.com", "channel": "EMAIL", "topic": "marketing", "status": "unsubscribed", "occurredAt": "2024-03-01T00:00:00Z"}
                """;
        JsonNode second = imports.run("", NDJSON, ndjson);
        assertThat(second.at("/outcomes/created").asLong())
                .as(second.toString())
                .isEqualTo(2);
        assertThat(second.at("/outcomes/changed").asLong()).isEqualTo(1);
        JsonNode shop = api.get("/v1/contacts?externalId=42", workspace.adminKey())
                .json()
                .at("/contacts/0");
        assertThat(shop.at("/identifiers/shopifyId").asString())
                .as(shop.toString())
                .isEqualTo("s-1");
        long phoneOnly = api.get("/v1/contacts?phone=%2B14155550102", workspace.adminKey())
                .json()
                .at("/contacts/0/id")
                .asLong();
        assertThat(workspace.events(phoneOnly).get(0).get("ip").asString()).isEqualTo("192.0.2.1");
    }

    @Test
    void cancellingStopsTheImportAndKeepsWhatWasApplied() throws Exception {
        StringBuilder file = new StringBuilder("email,channel,topic,status\n");
        for (int i = 0; i < 20_000; i++) {
            file.append("c").append(i).append("@example.com,EMAIL,marketing,subscribed\n");
        }
        String id = imports.start("", CSV, file.toString());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (imports.job(id).at("/rows/done").asLong() == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        ApiClient.Response cancelled = api.delete("/v1/imports/" + id, workspace.adminKey());
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
        long done = cancelled.json().at("/rows/done").asLong();
        assertThat(done).isPositive().isLessThan(20_000);
        Thread.sleep(1_500);
        JsonNode after = imports.job(id);
        assertThat(after.at("/rows/done").asLong())
                .as("nothing applied after the cancel")
                .isEqualTo(done);
        assertThat(after.at("/outcomes/created").asLong()).isEqualTo(done);
        assertThat(api.delete("/v1/imports/" + id, workspace.adminKey()).status())
                .isEqualTo(409);
        ApiClient.Response exported = imports.get("/v1/exports/subscriptions", "application/x-ndjson");
        assertThat(exported.text().lines().count()).as("the rows applied stay").isEqualTo(done);
    }

    @Test
    void aCancelDoesNotWaitForTheChunkInProgressWhichIsRolledBack() throws Exception {
        long held = workspace.contact("held@example.com", "+14155550190");
        String file = "email,channel,topic,status\n" + "held@example.com,EMAIL,marketing,subscribed\n"
                + "free@example.com,EMAIL,marketing,subscribed\n";
        try (Connection lock = dataSource.getConnection()) {
            // another transaction holds the contact: the import's chunk waits for it, mid-transaction
            lock.setAutoCommit(false);
            try (PreparedStatement statement =
                    lock.prepareStatement("select id from contacts where id = ? for update")) {
                statement.setLong(1, held);
                statement.executeQuery().close();
            }
            String id = imports.start("", CSV, file);
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (waitingOnALock() == 0) {
                assertThat(System.nanoTime()).as("the chunk never waited").isLessThan(deadline);
                Thread.sleep(20);
            }

            ApiClient.Response cancelled = api.delete("/v1/imports/" + id, workspace.adminKey());
            assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
            assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
            assertThat(waitingOnALock())
                    .as("the chunk still waits: the cancel did not wait for it")
                    .isEqualTo(1);
            lock.rollback();

            Thread.sleep(1_000);
            JsonNode after = imports.job(id);
            assertThat(after.get("state").asString()).isEqualTo("CANCELLED");
            assertThat(after.at("/rows/done").asLong())
                    .as("the chunk was rolled back")
                    .isZero();
            ApiClient.Response subscriptions = api.get("/v1/contacts/" + held + "/subscriptions", workspace.adminKey());
            assertThat(subscriptions.json().get("subscriptions"))
                    .as("nothing of the chunk stays")
                    .isEmpty();
            ApiClient.Response free = api.get("/v1/contacts?email=free@example.com", workspace.adminKey());
            assertThat(free.json().get("contacts")).as(free.text()).isEmpty();
        }
    }

    @Test
    void chunksAppliedAtOnceRecordInCursorOrder() throws Exception {
        long held = workspace.contact("held@example.com", "+14155550191");
        try (Connection lock = holdContact(held)) {
            // two chunks at once: the first (the held contact and 999 more) waits for the contact, the second is done
            String id = imports.start("", CSV, twoChunks("order"));
            awaitWaitingOnLocks(2);
            assertThat(imports.job(id).at("/rows/done").asLong())
                    .as("the second chunk waits for the first before it records")
                    .isZero();
            lock.rollback();

            JsonNode done = imports.await(id, Duration.ofMinutes(1));
            assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("DONE");
            assertThat(done.at("/rows/done").asLong()).isEqualTo(1_501);
            assertThat(done.at("/outcomes/created").asLong()).isEqualTo(1_501);
            ApiClient.Response last = api.get("/v1/contacts?email=zorder1499@example.com", workspace.adminKey());
            assertThat(last.json().get("contacts")).as(last.text()).hasSize(1);
        }
    }

    @Test
    void aChunkAppliedBesideOneThatIsRolledBackIsRolledBackToo() throws Exception {
        long held = workspace.contact("held2@example.com", "+14155550192");
        try (Connection lock = holdContact(held)) {
            String id = imports.start("", CSV, twoChunks("undone").replace("held@", "held2@"));
            awaitWaitingOnLocks(2);
            // the cancel leaves the first chunk nothing to record, and so the second
            assertThat(api.delete("/v1/imports/" + id, workspace.adminKey()).status())
                    .isEqualTo(200);
            lock.rollback();

            awaitNoneWaitingOnLocks();
            JsonNode after = imports.job(id);
            assertThat(after.at("/rows/done").asLong()).isZero();
            for (String email : List.of("zundone0@example.com", "zundone1499@example.com")) {
                ApiClient.Response contact = api.get("/v1/contacts?email=" + email, workspace.adminKey());
                assertThat(contact.json().get("contacts"))
                        .as("nothing of either chunk stays: " + email)
                        .isEmpty();
            }
        }
    }

    /** 1,501 rows: the held contact's first, then new contacts, so the default chunk of 1,000 splits them in two. */
    private static String twoChunks(String prefix) {
        StringBuilder file = new StringBuilder("email,channel,topic,status\n");
        file.append("held@example.com,EMAIL,marketing,subscribed\n");
        for (int i = 0; i < 1_500; i++) {
            file.append('z').append(prefix).append(i).append("@example.com,EMAIL,marketing,subscribed\n");
        }
        return file.toString();
    }

    /** A transaction of another connection holding the contact's row: the import's chunk waits for it. */
    private Connection holdContact(long contact) throws SQLException {
        Connection lock = dataSource.getConnection();
        lock.setAutoCommit(false);
        try (PreparedStatement statement = lock.prepareStatement("select id from contacts where id = ? for update")) {
            statement.setLong(1, contact);
            statement.executeQuery().close();
        }
        return lock;
    }

    private void awaitWaitingOnLocks(int backends) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (waitingOnALock() < backends) {
            assertThat(System.nanoTime())
                    .as("only " + waitingOnALock() + " chunks waited")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Until no backend waits on a lock (on a loaded machine the chunks may take more than a second to end). */
    private void awaitNoneWaitingOnLocks() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (waitingOnALock() > 0) {
            assertThat(System.nanoTime())
                    .as(waitingOnALock() + " backends still wait on a lock")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Backends of this database waiting for a lock: the import's chunk, once it reaches the held contact. */
    private int waitingOnALock() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from pg_stat_activity where datname = current_database()"
                                + " and wait_event_type = 'Lock'");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anotherWorkspacesImportIsNotFound() throws Exception {
        String id = imports.start("", CSV, FILE);
        TestWorkspace other = TestWorkspace.create(api);
        assertThat(api.get("/v1/imports/" + id, other.adminKey()).status()).isEqualTo(404);
        assertThat(api.get("/v1/imports/" + id + "/rejects?format=csv", other.adminKey())
                        .status())
                .isEqualTo(404);
        assertThat(api.delete("/v1/imports/" + id, other.adminKey()).status()).isEqualTo(404);
        assertThat(api.get("/v1/imports/" + id, workspace.key("subscriptions:read"))
                        .status())
                .isEqualTo(200);
        assertThat(new ImportClient(port, workspace.key("subscriptions:read"))
                        .upload("", CSV, FILE)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void malformedFilesAreRefusedWholeWithNothingWritten() {
        String header = "email,channel,topic,status,occurredAt\n";
        Map<String, String> csv = Map.ofEntries(
                Map.entry("NUL", header + "n\0l@example.com,EMAIL,marketing,subscribed,\n"),
                Map.entry("quote inside", header + "q@exam\"ple.com,EMAIL,marketing,subscribed,\n"),
                Map.entry("never closed", header + "\"q@example.com,EMAIL,marketing,subscribed,\n"),
                Map.entry("text after quote", header + "\"q@example.com\"x,EMAIL,marketing,subscribed,\n"),
                Map.entry("field count", header + "q@example.com,EMAIL,marketing\n"),
                Map.entry("time", header + "q@example.com,EMAIL,marketing,subscribed,yesterday\n"),
                Map.entry("status", header + "q@example.com,EMAIL,marketing,maybe,\n"),
                Map.entry("channel", header + "q@example.com,PIGEON,marketing,subscribed,\n"),
                Map.entry("no identifier column", "channel,topic,status\nEMAIL,marketing,subscribed\n"),
                Map.entry("empty", ""),
                Map.entry("header only", header));
        csv.forEach((what, body) -> refused(what, "", CSV, body.getBytes(StandardCharsets.UTF_8)));
        String good =
                "{\"email\":\"q@example.com\",\"channel\":\"EMAIL\",\"topic\":\"marketing\",\"status\":\"subscribed\"}\n";
        Map<String, String> ndjson = Map.of(
                "not JSON", good + "{\"email\": \n",
                "array", good + "[1, 2]\n",
                "object value", good + "{\"email\": {\"a\": 1}, \"channel\": \"EMAIL\"}\n",
                "boolean time", good + "{\"email\": \"x@example.com\", \"occurredAt\": true}\n",
                "NUL escape", good + "{\"email\": \"x\\u0000@example.com\"}\n");
        ndjson.forEach((what, body) -> refused(what, "", NDJSON, body.getBytes(StandardCharsets.UTF_8)));
        refused("not UTF-8", "", CSV, new byte[] {'e', 'm', 'a', 'i', 'l', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        refused("unknown parameter", "mapping.email=x", CSV, good.getBytes(StandardCharsets.UTF_8));
        refused("unknown field", "map.colour=x", CSV, good.getBytes(StandardCharsets.UTF_8));
        refused("no format", "", "application/octet-stream", good.getBytes(StandardCharsets.UTF_8));
        refused("bad default", "default.status=maybe", NDJSON, good.getBytes(StandardCharsets.UTF_8));
        refused(
                "mapped column missing",
                "map.email=Mail",
                CSV,
                (header + "q@example.com,EMAIL,marketing,subscribed,\n").getBytes(StandardCharsets.UTF_8));

        assertThat(api.get("/v1/imports", workspace.adminKey()).json().get("imports"))
                .isEmpty();
        assertThat(api.get("/v1/contacts?email=q@example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
    }

    private void refused(String what, String query, String type, byte[] body) {
        ApiClient.Response response = imports.upload(query, type, body);
        assertThat(response.status()).as(what + ": " + response.text()).isEqualTo(400);
        assertThat(response.json().get("type").asString())
                .as(what)
                .isEqualTo("https://optledger.dev/problems/invalid-request");
        assertThat(response.json().get("detail").asString()).as(what).isNotBlank();
    }
}
