package io.optledger.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.consent.Action;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.contact.Channel;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Owner;
import io.optledger.support.TestWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Erasure leaves no trace of the person in any table, while both ledgers still verify. */
@ApiTest
class ErasureTests {

    @LocalServerPort
    int port;

    @Autowired
    ConsentService consent;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    TestWorkspace workspace;
    String email;
    String phone;
    // each test's own: the scan covers the whole database, other tests' contacts included
    String ip;
    String userAgent;
    long contact;

    @BeforeEach
    void setUp() {
        workspace = TestWorkspace.create(new ApiClient(port));
        int n = ThreadLocalRandom.current().nextInt(100_000, 999_999);
        email = "erase." + n + "@example.com";
        phone = "+1628" + ThreadLocalRandom.current().nextInt(2, 10) + n;
        ip = "198.18." + ThreadLocalRandom.current().nextInt(256) + "."
                + ThreadLocalRandom.current().nextInt(256);
        userAgent = "ErasureTests-Agent/" + n;
        contact = workspace.contact(email, phone);
        post(
                "/v1/topics",
                Map.of("key", "digest", "name", "Digest", "kind", "MARKETING", "doubleOptIn", List.of("EMAIL")));
        // the person's own request, from their IP and browser, with a reason that names them
        consent.apply(new ConsentBatch(
                workspace.id(),
                new RequestContext(ip, userAgent, null, "req-erasure"),
                List.of(
                        command(Channel.EMAIL, "marketing", Action.OPT_IN, "asked by " + email),
                        command(Channel.SMS, "marketing", Action.OPT_IN, null),
                        command(Channel.EMAIL, "digest", Action.REQUEST_OPT_IN, null))));
        workspace.change(Map.of("contactId", contact, "channel", "SMS", "topic", "marketing", "action", "OPT_OUT"));
        ApiClient.Response withKey = workspace
                .api()
                .post(
                        "/v1/subscriptions/changes",
                        workspace.adminKey(),
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
                                        "OPT_IN")))),
                        Map.of("Idempotency-Key", "erasure-" + n));
        assertThat(withKey.status()).as(withKey.text()).isEqualTo(200);
        post("/v1/suppressions", Map.of("channel", "SMS", "address", phone, "reason", "COMPLAINT"));
    }

    @Test
    void leavesNoTraceOfTheAddressesOrTheIpInAnyTableAndBothLedgersStillVerify() {
        // the test could fail: every needle is somewhere before the erasure
        Map<String, List<String>> before = whereHeld(needles());
        before.forEach((needle, columns) -> assertThat(columns).as(needle).isNotEmpty());
        assertThat(before.get(email))
                .contains(
                        "messages.recipient",
                        "consent_events.address",
                        "consent_events.reason",
                        "consent_events.details",
                        "outbox.payload",
                        "identifiers.value",
                        "subscriptions.address",
                        "idempotency_keys.response_body",
                        "email_confirmations.address");
        assertThat(before.get(urlEncoded(email))).contains("cache_invalidations.entries");
        assertThat(before.get(phone)).contains("suppressions.address", "workspace_events.subject");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
        assertThat(workspaceVerify().get("valid").asBoolean()).isTrue();

        ApiClient.Response erased = erase(contact, workspace.adminKey());
        assertThat(erased.status()).as(erased.text()).isEqualTo(200);
        assertThat(erased.json().get("alreadyErased").asBoolean()).isFalse();
        assertThat(erased.json().get("eventsErased").asInt()).isEqualTo(5);
        assertThat(erased.json().get("tombstones").asInt()).isEqualTo(3); // EMAIL, SMS, WHATSAPP

        whereHeld(needles())
                .forEach((needle, columns) -> assertThat(columns).as(needle).isEmpty());
        JsonNode verification = workspace.verify(contact);
        assertThat(verification.get("valid").asBoolean())
                .as(verification.toString())
                .isTrue();
        assertThat(verification.get("eventsChecked").asLong()).isEqualTo(6);
        assertThat(workspaceVerify().get("valid").asBoolean()).isTrue();
        JsonNode last = workspace.events(contact).get(5);
        assertThat(last.get("action").asString()).isEqualTo("ERASE");
        assertThat(jdbc.sql("select payload::text from outbox where contact_id = :id")
                        .param("id", contact)
                        .query(String.class)
                        .list())
                .singleElement()
                .satisfies(payload -> assertThat(payload).contains("\"ERASE\"").doesNotContain("@"));
        // nothing is written to an erased contact any more
        JsonNode after = workspace
                .change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"))
                .json();
        assertThat(after.at("/results/0/outcome").asString()).isEqualTo("rejected");
    }

    @Test
    void anErasedAddressComesBackToTransactionalTopicsButNotSilentlyToMarketing() {
        assertThat(erase(contact, workspace.adminKey()).status()).isEqualTo(200);
        long returning = workspace.contact(email, phone);
        assertThat(returning).isNotEqualTo(contact);
        JsonNode optIn = workspace
                .change(Map.of("contactId", returning, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"))
                .json();
        assertThat(optIn.at("/results/0/outcome").asString()).isEqualTo("created");

        JsonNode marketing = workspace.eligibility("channel=EMAIL&topic=marketing&email=" + email);
        assertThat(marketing.get("eligible").asBoolean()).isFalse();
        assertThat(marketing.toString()).contains("suppressed: ERASED");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=transactional&email=" + email)
                        .get("eligible")
                        .asBoolean())
                .isTrue();

        // lifting the tombstone is the deliberate act that lets the new opt-in count
        ApiClient.Response lifted =
                workspace.api().delete("/v1/suppressions?channel=EMAIL&address=" + email, workspace.adminKey());
        assertThat(lifted.status()).as(lifted.text()).isIn(200, 204);
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&email=" + email)
                        .get("eligible")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void isIdempotentAndKeepsToItsWorkspace() {
        TestWorkspace other = TestWorkspace.create(new ApiClient(port));
        assertThat(erase(contact, other.adminKey()).status()).isEqualTo(404);
        assertThat(workspace.verify(contact).at("/eventsChecked").asLong()).isEqualTo(5);

        ApiClient.Response first = erase(contact, workspace.adminKey());
        ApiClient.Response second = erase(contact, workspace.adminKey());
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("alreadyErased").asBoolean()).isTrue();
        assertThat(second.json().get("erasedAt")).isEqualTo(first.json().get("erasedAt"));
        assertThat(second.json().get("ledgerSeq")).isEqualTo(first.json().get("ledgerSeq"));
        assertThat(workspace.verify(contact).get("eventsChecked").asLong()).isEqualTo(6);

        String writer = workspace.key("subscriptions:write", "subscriptions:read");
        assertThat(erase(contact, writer).status()).isEqualTo(403);
    }

    @Test
    void theApplicationsRoleCannotMakeTheErasuresChangeItself() {
        assertThatThrownBy(() -> jdbc.sql("""
                        select set_config('optledger.erasing', 'on', false);
                        update consent_events set address = null, reason = null, ip = null, user_agent = null,
                            details = '{}', erased_at = now()
                        where contact_id = :id
                        """).param("id", contact).update())
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("append-only");
        jdbc.sql("select set_config('optledger.erasing', 'off', false)").query().listOfRows();
        assertThatThrownBy(() -> jdbc.sql("alter table consent_events disable trigger consent_events_append_only")
                        .update())
                .isInstanceOf(DataAccessException.class);
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    private List<String> needles() {
        return List.of(email, phone, phone.substring(1), ip, userAgent, urlEncoded(email), urlEncoded(phone));
    }

    /** As cache invalidations name an address. */
    private static String urlEncoded(String address) {
        return java.net.URLEncoder.encode(address, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * For each needle, every text, json, array and bytea column of every table that holds it, as table.column: one
     * pass over each table for all needles.
     */
    private Map<String, List<String>> whereHeld(List<String> needles) {
        JdbcClient owner = Owner.jdbc(context);
        List<Map<String, Object>> columns = owner.sql("""
                        select c.table_name, c.column_name, c.data_type from information_schema.columns c
                        join information_schema.tables t
                          on t.table_schema = c.table_schema and t.table_name = c.table_name
                        where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
                          and c.data_type in ('text', 'character varying', 'character', 'jsonb', 'json', 'bytea',
                                              'ARRAY', 'USER-DEFINED')
                        order by 1, 2
                        """).query().listOfRows();
        assertThat(columns).hasSizeGreaterThan(50);
        Map<String, List<String>> found = new java.util.LinkedHashMap<>();
        needles.forEach(n -> found.put(n, new ArrayList<>()));
        for (Map<String, Object> column : columns) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            String condition = "bytea".equals(column.get("data_type"))
                    ? "position(convert_to(n, 'UTF8') in x.\"" + name + "\") > 0"
                    : "strpos(x.\"" + name + "\"::text, n) > 0";
            owner.sql("select distinct n from \"" + table + "\" x cross join unnest(:needles::text[]) as n where "
                            + condition)
                    .param("needles", needles.toArray(String[]::new))
                    .query(String.class)
                    .list()
                    .forEach(n -> found.get(n).add(table + "." + name));
        }
        return found;
    }

    private ConsentCommand command(Channel channel, String topic, Action action, String reason) {
        return new ConsentCommand(
                ContactRef.id(contact),
                channel,
                null,
                topic,
                action,
                null,
                null,
                new Provenance("signup-form", reason, null, null, null, Map.of("referrer", "newsletter-" + email)),
                null,
                false);
    }

    private ApiClient.Response erase(long id, String key) {
        return workspace.api().post("/v1/contacts/" + id + "/erase", key, "");
    }

    private void post(String path, Map<String, Object> body) {
        ApiClient.Response response = workspace.api().post(path, workspace.adminKey(), ApiClient.json(body));
        assertThat(response.status()).as(response.text()).isIn(200, 201);
    }

    private JsonNode workspaceVerify() {
        return workspace
                .api()
                .get("/v1/ledger/workspace-events/verify", workspace.adminKey())
                .json();
    }
}
