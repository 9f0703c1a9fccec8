package io.optledger.dialect.altcraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class AltcraftMethodsTests extends WorkspaceApiTest {

    @Autowired
    JdbcClient jdbc;

    private AltcraftClient altcraft;
    private String ada;

    @BeforeEach
    void setUp() {
        altcraft = AltcraftClient.of(workspace);
        altcraft.database(1);
        altcraft.database(2);
        altcraft.resource(
                1, "news", List.of("email", "sms", "push", "telegram_bot", "whatsapp"), List.of("sport", "travel"));
        altcraft.resource(2, "offers", List.of("email"), List.of());
        ada = altcraft.profile(1, Map.of("email", "Ada@Example.com", "phone", "+1 415 555 2671", "name", "Ada"));
    }

    @Test
    void profilesAreAddedOnceAndReadBack() {
        JsonNode again = altcraft.data("profiles/add", Map.of("db_id", 1, "data", Map.of("email", "ada@example.com")));
        assertThat(again.get("profile_id").asString()).isEqualTo(ada);
        assertThat(again.get("is_new").asBoolean()).isFalse();

        JsonNode profile = altcraft.data("profiles/get", Map.of("db_id", 1, "profile_id", ada));
        assertThat(profile.get("email").asString()).isEqualTo("ada@example.com");
        assertThat(profile.get("phone").asString()).isEqualTo("+14155552671");
        assertThat(profile.get("name").asString()).isEqualTo("Ada");
        assertThat(profile.get("db_id").asLong()).isEqualTo(1);

        assertError(altcraft.call("profiles/get", Map.of("db_id", 2, "profile_id", ada)), 404, 8);
        assertError(
                altcraft.call("profiles/add", Map.of("db_id", 2, "data", Map.of("email", "ada@example.com"))), 409, 11);
        assertError(
                altcraft.call("profiles/add", Map.of("db_id", 3, "data", Map.of("email", "x@example.com"))), 404, 6);
        assertError(altcraft.call("profiles/add", Map.of("db_id", 1, "data", Map.of("email", "not-an-email"))), 400, 5);
    }

    @Test
    void everyChannelTakesItsOwnAddressForm() {
        List<Map<String, Object>> calls = List.of(
                Map.of("channel", "email", "email", "ADA@example.com"),
                Map.of("channel", "sms", "phone", "(415) 555-2671"),
                Map.of("channel", "push", "provider", "Firefox", "subscription_id", "fx-123"),
                Map.of("channel", "telegram_bot", "cc_data", Map.of("chat_id", "998877")),
                Map.of("channel", "whatsapp", "cc_data", Map.of("phone", "+14155552671")));
        for (Map<String, Object> call : calls) {
            Map<String, Object> fields = new LinkedHashMap<>(call);
            fields.putAll(Map.of("db_id", 1, "profile_id", ada, "resource_id", 1, "status", "subscribed"));
            JsonNode data = altcraft.data("subscriptions/set", fields);
            assertThat(data.get("is_safe").asBoolean()).isTrue();
        }

        JsonNode list = altcraft.data("subscriptions/list", Map.of("db_id", 1, "profile_id", ada));
        List<String> forms = new ArrayList<>();
        list.forEach(s -> forms.add(s.get("channel").asString() + " "
                + (s.has("email") ? s.get("email").asString() : "")
                + (s.has("phone") ? s.get("phone").asString() : "")
                + (s.has("provider")
                        ? s.get("provider").asString() + "/"
                                + s.get("subscription_id").asString()
                        : "")
                + (s.has("cc_data") ? s.get("cc_data").toString() : "")));
        assertThat(forms)
                .containsExactlyInAnyOrder(
                        "email ada@example.com",
                        "sms +14155552671",
                        "push Firefox/fx-123",
                        "telegram_bot {\"id\":998877}",
                        "whatsapp {\"phone\":\"+14155552671\"}");
        assertThat(list.findValuesAsString("status")).containsOnly("subscribed");
    }

    @Test
    void setWithoutStatusSubscribesANewSubscriptionAndKeepsAnExistingOnesWhileUpdatingItsFields() {
        JsonNode first = altcraft.data("subscriptions/set", set(Map.of("priority", 3, "cats", List.of("sport"))));
        assertThat(first.get("action").asString()).isEqualTo("subscribed");
        assertThat(first.get("is_new_subscription").asBoolean()).isTrue();
        altcraft.data("subscriptions/set", set(Map.of("status", "unsubscribed")));

        JsonNode kept = altcraft.data(
                "subscriptions/set",
                set(Map.of("custom_fields", Map.of("source", "footer"), "cats", List.of("travel"))));
        assertThat(kept.get("action").asString()).isEqualTo("unchanged");
        assertThat(kept.get("is_new_subscription").asBoolean()).isFalse();
        JsonNode subscription = altcraft.data("subscriptions/get", get());
        assertThat(subscription.get("status").asString()).isEqualTo("unsubscribed");
        assertThat(subscription.get("priority").asInt()).isEqualTo(3);
        assertThat(subscription.get("cats").get(0).asString()).isEqualTo("travel");
        assertThat(subscription.get("custom_fields").get("source").asString()).isEqualTo("footer");

        // a second address on the channel, then a second channel
        JsonNode newContact = altcraft.data("subscriptions/set", set(Map.of("email", "ada.l@example.com")));
        assertThat(newContact.get("is_new_contact").asBoolean()).isTrue();
        JsonNode newChannel = altcraft.data(
                "subscriptions/set",
                Map.of("db_id", 1, "profile_id", ada, "resource_id", 1, "channel", "sms", "phone", "+14155552671"));
        assertThat(newChannel.get("is_new_channel").asBoolean()).isTrue();
        assertThat(newChannel.get("is_new_subscription").asBoolean()).isFalse();
    }

    @Test
    void aSoftDeletedSubscriptionIsNotEligibleAndASetRestoresIt() {
        altcraft.data("subscriptions/set", set(Map.of("status", "subscribed")));
        assertThat(altcraft.data("subscriptions/delete", get()).get("action").asString())
                .isEqualTo("deleted");

        JsonNode deleted = altcraft.data("subscriptions/get", get());
        assertThat(deleted.get("is_delete").asBoolean()).isTrue();
        assertThat(deleted.get("status").asString()).isEqualTo("subscribed");
        JsonNode eligibility = workspace.eligibility("channel=EMAIL&topic=news&email=ada@example.com");
        assertThat(eligibility.get("eligible").asBoolean()).isFalse();
        assertThat(eligibility.get("reasons").findValuesAsString("code")).containsExactly("deleted");

        JsonNode restored = altcraft.data("subscriptions/set", set(Map.of()));
        assertThat(restored.get("is_restored").asBoolean()).isTrue();
        assertThat(restored.get("action").asString()).isEqualTo("restored");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=news&email=ada@example.com")
                        .get("eligible")
                        .asBoolean())
                .isTrue();

        altcraft.data("subscriptions/delete", get());
        assertThat(altcraft.data("subscriptions/undelete", get()).get("action").asString())
                .isEqualTo("restored");
        assertThat(altcraft.data("subscriptions/get", get()).get("is_delete").asBoolean())
                .isFalse();
        long contact = Long.parseLong(ada);
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
        assertThat(workspace.events(contact).findValuesAsString("action"))
                .containsExactly("OPT_IN", "DELETE", "KEEP", "DELETE", "KEEP");
    }

    @Test
    void anOlderDateIsKeptOnTheLedgerButDoesNotChangeTheState() {
        altcraft.data("subscriptions/set", set(Map.of("status", "unsubscribed", "date", "2026-06-01T00:00:00Z")));
        JsonNode stale = altcraft.data(
                "subscriptions/set",
                set(Map.of(
                        "status",
                        "subscribed",
                        "date",
                        "2026-05-01T00:00:00.000Z",
                        "ip",
                        "10.250.13.5",
                        "url",
                        "https://example.com/")));

        assertThat(stale.get("action").asString()).isEqualTo("stale");
        assertThat(altcraft.data("subscriptions/get", get()).get("status").asString())
                .isEqualTo("unsubscribed");
        JsonNode events = workspace.events(Long.parseLong(ada));
        assertThat(events.findValuesAsString("outcome")).containsExactly("CREATED", "STALE");
        assertThat(events.get(1).get("details").get("ip").asString()).isEqualTo("10.250.13.5");
        assertThat(events.get(1).get("details").get("url").asString()).isEqualTo("https://example.com/");
        assertThat(events.get(1).get("occurredAt").asString()).isEqualTo("2026-05-01T00:00:00Z");

        JsonNode history = altcraft.data(
                "subscribers/history_get", Map.of("db_id", 1, "profile_id", ada, "date_from", "2026-05-15T00:00:00Z"));
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("status_to").asString()).isEqualTo("unsubscribed");
        assertThat(history.get(0).get("resource_id").asLong()).isEqualTo(1);
        assertThat(altcraft.data("subscribers/history_get", Map.of("db_id", 1, "profile_id", ada)))
                .hasSize(2);
    }

    @Test
    void skipTriggersLeavesNoOutboxEventButTheLedgerHasIt() {
        altcraft.data("subscriptions/set", set(Map.of("status", "subscribed", "skip_triggers", true)));
        altcraft.data("subscriptions/set", set(Map.of("status", "unsubscribed")));

        Long queued = jdbc.sql("select count(*) from outbox where workspace_id = :workspace")
                .param("workspace", workspace.id())
                .query(Long.class)
                .single();
        assertThat(queued).isEqualTo(1L);
        assertThat(workspace.events(Long.parseLong(ada))).hasSize(2);
    }

    @Test
    void suspendAllAndUnsuspendAllCountWhatTheyChanged() {
        String grace = altcraft.profile(1, Map.of("email", "grace@example.com"));
        String other = altcraft.profile(2, Map.of("email", "other@example.com"));
        for (String profile : List.of(ada, grace)) {
            altcraft.data(
                    "subscriptions/set",
                    Map.of(
                            "db_id",
                            1,
                            "profile_id",
                            profile,
                            "resource_id",
                            1,
                            "channel",
                            "email",
                            "email",
                            profile.equals(ada) ? "ada@example.com" : "grace@example.com",
                            "status",
                            "subscribed"));
            altcraft.data(
                    "subscriptions/set",
                    Map.of(
                            "db_id",
                            1,
                            "profile_id",
                            profile,
                            "resource_id",
                            2,
                            "channel",
                            "email",
                            "email",
                            profile.equals(ada) ? "ada@example.com" : "grace@example.com",
                            "status",
                            "subscribed"));
        }
        altcraft.data(
                "subscriptions/set",
                Map.of(
                        "db_id",
                        2,
                        "profile_id",
                        other,
                        "resource_id",
                        1,
                        "channel",
                        "email",
                        "email",
                        "other@example.com",
                        "status",
                        "subscribed"));

        assertThat(altcraft.data("subscriptions/suspend_all", Map.of("db_id", 1, "resource_id", 1))
                        .get("updated")
                        .asLong())
                .isEqualTo(2);
        assertThat(altcraft.data("subscriptions/suspend_all", Map.of("db_id", 1))
                        .get("updated")
                        .asLong())
                .isEqualTo(2);
        assertThat(altcraft.data("subscriptions/suspend_all", Map.of("db_id", 1))
                        .get("updated")
                        .asLong())
                .isZero();
        assertThat(altcraft.data(
                                "subscriptions/get",
                                Map.of(
                                        "db_id",
                                        2,
                                        "profile_id",
                                        other,
                                        "resource_id",
                                        1,
                                        "channel",
                                        "email",
                                        "email",
                                        "other@example.com"))
                        .get("status")
                        .asString())
                .isEqualTo("subscribed");
        assertThat(altcraft.data("subscriptions/unsuspend_all", Map.of("db_id", 1, "channel", "email"))
                        .get("updated")
                        .asLong())
                .isEqualTo(4);
        assertThat(workspace.events(Long.parseLong(grace)).findValuesAsString("action"))
                .containsExactly("OPT_IN", "OPT_IN", "SUSPEND", "SUSPEND", "RESUME", "RESUME");
    }

    @Test
    void listAllPagesThroughAResourceWithItsTotal() {
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String profile = altcraft.profile(1, Map.of("email", "p" + i + "@example.com"));
            profiles.add(profile);
            altcraft.data(
                    "subscriptions/set",
                    Map.of(
                            "db_id",
                            1,
                            "profile_id",
                            profile,
                            "resource_id",
                            1,
                            "channel",
                            "email",
                            "email",
                            "p" + i + "@example.com",
                            "status",
                            i == 4 ? "unsubscribed" : "subscribed"));
        }
        JsonNode first = altcraft.data("subscriptions/list_all", Map.of("resource_id", 1, "db_id", 1, "limit", 3));
        assertThat(first.get("subscriptions")).hasSize(3);
        assertThat(first.get("total_count").asLong()).isEqualTo(5);
        JsonNode second = altcraft.data(
                "subscriptions/list_all",
                Map.of(
                        "resource_id",
                        1,
                        "limit",
                        3,
                        "from_id",
                        first.get("next_from_id").asLong()));
        assertThat(second.get("subscriptions")).hasSize(2);
        assertThat(second.get("next_from_id").isNull()).isTrue();
        List<String> seen = new ArrayList<>(first.get("subscriptions").findValuesAsString("profile_id"));
        seen.addAll(second.get("subscriptions").findValuesAsString("profile_id"));
        // every one once, in id order: ids are opaque, so not the order they were added in
        assertThat(seen).containsExactlyInAnyOrderElementsOf(profiles);
        List<Long> ids = new ArrayList<>();
        for (JsonNode page : List.of(first, second)) {
            page.get("subscriptions").forEach(s -> ids.add(s.get("id").asLong()));
        }
        assertThat(ids).isSorted();
        assertThat(second.get("subscriptions").get(0).get("db_id").asLong()).isEqualTo(1);
        JsonNode unsubscribed =
                altcraft.data("subscriptions/list_all", Map.of("resource_id", 1, "status", "unsubscribed"));
        assertThat(unsubscribed.get("total_count").asLong()).isEqualTo(1);
        assertError(altcraft.call("subscriptions/list_all", Map.of("resource_id", 1, "limit", 5000)), 400, 5);
    }

    @Test
    void errorsAreAltcraftsShapeInTheRequestedFormatAndWriteNothing() {
        assertError(altcraft.call("subscriptions/set", set(Map.of("token", "wrong-token-0123456789"))), 401, 2);
        assertError(altcraft.call("subscriptions/set", set(Map.of("profile_id", "999999999"))), 404, 8);
        assertError(altcraft.call("subscriptions/set", set(Map.of("resource_id", 77))), 404, 7);
        assertError(altcraft.call("subscriptions/set", set(Map.of("db_id", 9))), 404, 6);
        assertError(altcraft.call("subscriptions/set", set(Map.of("status", "maybe"))), 400, 5);
        assertError(altcraft.call("subscriptions/set", set(Map.of("db_id", "one"))), 400, 5);
        assertError(altcraft.call("subscriptions/set", set(Map.of("date", "yesterday"))), 400, 5);
        assertError(altcraft.call("subscriptions/set", set(Map.of("cats", List.of("gardening")))), 400, 5);
        assertError(
                altcraft.call(
                        "subscriptions/set",
                        Map.of(
                                "db_id",
                                1,
                                "profile_id",
                                ada,
                                "resource_id",
                                2,
                                "channel",
                                "sms",
                                "phone",
                                "+14155552671")),
                400,
                5);
        assertError(altcraft.call("subscriptions/get", get()), 404, 9);
        assertError(altcraft.call("subscriptions/nope", Map.of()), 404, 4);
        assertError(api.send("GET", AltcraftClient.BASE + "subscriptions/set", Map.of(), null), 405, 4);
        ApiClient.Response malformed = workspace
                .api()
                .send(
                        "POST",
                        AltcraftClient.BASE + "subscriptions/set",
                        Map.of("Content-Type", "application/json"),
                        "{\"token\":");
        assertError(malformed, 400, 1);

        ApiClient.Response xmlError = altcraft.xml("subscriptions/set", "<xml><token>nope</token></xml>");
        assertThat(xmlError.status()).isEqualTo(401);
        assertThat(xmlError.header("Content-Type")).startsWith("application/xml");
        assertThat(AltcraftClient.xmlTree(xmlError.text()).get("error").asString())
                .isEqualTo("2");
        assertThat(workspace.events(Long.parseLong(ada))).isEmpty();
    }

    @Test
    void aSuppressedAddressIsNotSafeAReadOnlyTokenCannotWriteAndAMandatoryTopicCannotBeLeft() {
        ApiClient.Response suppressed = api.post(
                "/v1/suppressions",
                workspace.adminKey(),
                "{\"channel\":\"EMAIL\",\"address\":\"ada@example.com\",\"reason\":\"BOUNCE\"}");
        assertThat(suppressed.status()).as(suppressed.text()).isEqualTo(201);
        assertThat(altcraft.data("subscriptions/set", set(Map.of()))
                        .get("is_safe")
                        .asBoolean())
                .isFalse();

        String reader = workspace.key("subscriptions:read");
        assertError(altcraft.call("subscriptions/set", set(Map.of("token", reader, "status", "unsubscribed"))), 403, 3);
        assertThat(altcraft.call("subscriptions/get", set(Map.of("token", reader)))
                        .status())
                .isEqualTo(200);

        // only a transactional topic can be mandatory: a resource bound to one
        altcraft.resource(3, "transactional", List.of("email"), List.of());
        assertThat(api.patch("/v1/topics/transactional", workspace.adminKey(), "{\"mandatory\":true}")
                        .status())
                .isEqualTo(200);
        Map<String, Object> receipts = new LinkedHashMap<>(set(Map.of("status", "unsubscribed")));
        receipts.put("resource_id", 3);
        assertError(altcraft.call("subscriptions/set", receipts), 409, 10);
        assertThat(altcraft.data("subscriptions/get", get()).get("status").asString())
                .isEqualTo("subscribed");
        // the refusal is a consent decision, so the ledger has it
        assertThat(workspace.events(Long.parseLong(ada)).findValuesAsString("outcome"))
                .containsExactly("CREATED", "REJECTED");
    }

    @Test
    void aPropertyOnlySetDoesNotMakeAnEarlierDatedUnsubscribeStale() {
        java.time.Instant now = java.time.Instant.now();
        altcraft.data(
                "subscriptions/set",
                set(Map.of("status", "subscribed", "date", now.minusSeconds(600).toString())));
        // a change of priority only, received after the opt-in: no consent in it
        altcraft.data("subscriptions/set", set(Map.of("priority", 5)));

        // the person unsubscribed five minutes ago; the call arrives last
        altcraft.data(
                "subscriptions/set",
                set(Map.of(
                        "status", "unsubscribed", "date", now.minusSeconds(300).toString())));

        assertThat(altcraft.data("subscriptions/get", get()).get("status").asString())
                .isEqualTo("unsubscribed");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=news&email=ada@example.com")
                        .get("eligible")
                        .asBoolean())
                .isFalse();
        assertThat(workspace.events(Long.parseLong(ada)).findValuesAsString("action"))
                .containsExactly("OPT_IN", "KEEP", "OPT_OUT");
        assertThat(workspace.verify(Long.parseLong(ada)).get("valid").asBoolean())
                .isTrue();
    }

    @Test
    void xmlWithADtdOrAnExternalEntityIsRefusedAndNothingIsWritten() {
        String entity = """
                <?xml version="1.0"?>
                <!DOCTYPE xml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <xml><token>%s</token><db_id>1</db_id><profile_id>%s</profile_id><resource_id>1</resource_id>
                <channel>email</channel><email>ada@example.com</email><status>&secret;</status></xml>
                """.formatted(workspace.adminKey(), ada);
        ApiClient.Response refused = altcraft.xml("subscriptions/set", entity);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).doesNotContain("root:");
        assertThat(AltcraftClient.xmlTree(refused.text()).get("error").asString())
                .isEqualTo("1");

        ApiClient.Response bare = altcraft.xml(
                "subscriptions/set",
                "<xml><token>%s</token><status>&secret;</status></xml>".formatted(workspace.adminKey()));
        assertThat(bare.status()).isEqualTo(400);
        ApiClient.Response unclosed = altcraft.xml("subscriptions/set", "<xml><token>");
        assertThat(unclosed.status()).isEqualTo(400);
        assertThat(AltcraftClient.xmlTree(unclosed.text()).get("error").asString())
                .isEqualTo("1");
        assertThat(workspace.events(Long.parseLong(ada))).isEmpty();
    }

    @Test
    void xmlRequestsReadTheSameFieldsAsJson() {
        ApiClient.Response response =
                altcraft.xml("subscriptions/set?format=json", """
                <xml><token>%s</token><db_id>1</db_id><profile_id>%s</profile_id><resource_id>1</resource_id>
                <channel>telegram_bot</channel><cc_data><chat_id>4242</chat_id></cc_data><priority>5</priority>
                <cats>sport</cats><cats>travel</cats><custom_fields><tier>gold</tier></custom_fields>
                <skip_triggers>false</skip_triggers><status>unconfirmed</status></xml>
                """.formatted(workspace.adminKey(), ada));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode subscription = altcraft.data(
                "subscriptions/get",
                Map.of("db_id", 1, "profile_id", ada, "resource_id", 1, "channel", "telegram_bot", "cc_data", "4242"));
        assertThat(subscription.get("status").asString()).isEqualTo("unconfirmed");
        assertThat(subscription.get("priority").asInt()).isEqualTo(5);
        assertThat(subscription.get("cats").toString()).isEqualTo("[\"sport\",\"travel\"]");
        assertThat(subscription.get("custom_fields").get("tier").asString()).isEqualTo("gold");
    }

    private Map<String, Object> set(Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>(get());
        fields.putAll(extra);
        return fields;
    }

    private Map<String, Object> get() {
        return Map.of("db_id", 1, "profile_id", ada, "resource_id", 1, "channel", "email", "email", "ada@example.com");
    }

    private static void assertError(ApiClient.Response response, int status, int error) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().get("error").asInt()).as(response.text()).isEqualTo(error);
        assertThat(response.json().get("error_text").asString()).isNotBlank();
        assertThat(response.text()).doesNotContain("Exception");
    }
}
