package io.optledger.dialect.altcraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Golden;
import io.optledger.support.WorkspaceApiTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What Altcraft integrations send beside subscriptions/set, as Altcraft documents it: a Telegram chat as
 * {@code cc_data.id}, the unsubscribe link's {@code profiles/message_unsub}, {@code subscribers/history_get_all},
 * {@code profiles/update} and {@code profiles/delete}.
 */
class AltcraftFidelityTests extends WorkspaceApiTest {

    private static final String RTOKEN = "2fHLS9YR9daS-a90b371eecc2952f";

    private AltcraftClient altcraft;
    private String ada;

    @BeforeEach
    void setUp() {
        altcraft = AltcraftClient.of(workspace);
        altcraft.database(1);
        altcraft.database(2);
        ApiClient.Response resource = workspace
                .api()
                .send(
                        "PUT",
                        "/v1/altcraft/resources/1",
                        Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "application/json"),
                        ApiClient.json(Map.of(
                                "name",
                                "News",
                                "topic",
                                "news",
                                "channels",
                                List.of("email", "sms", "telegram_bot"),
                                "categories",
                                List.of("sport", "travel", "cat_to_unsub"),
                                "rtoken",
                                RTOKEN)));
        assertThat(resource.status()).as(resource.text()).isEqualTo(200);
        assertThat(resource.json().get("rtoken").asString()).isEqualTo(RTOKEN);
        ada = altcraft.profile(1, Map.of("email", "ada@example.com", "phone", "+14155552671", "name", "Ada"));
    }

    @Test
    void aTelegramChatIsNamedByIdOrChatIdInJsonAndXmlAndAnsweredAsId() {
        JsonNode set = altcraft.data("subscriptions/set", telegram(Map.of("id", 4242), Map.of("status", "subscribed")));
        assertThat(set.get("action").asString()).isEqualTo("subscribed");

        JsonNode byChatId = altcraft.data("subscriptions/get", telegram(Map.of("chat_id", "4242"), Map.of()));
        assertThat(byChatId.get("cc_data").toString()).isEqualTo("{\"id\":4242}");
        assertThat(byChatId.get("status").asString()).isEqualTo("subscribed");

        ApiClient.Response xml = altcraft.xml("subscriptions/get", """
                <xml><token>%s</token><db_id>1</db_id><profile_id>%s</profile_id><resource_id>1</resource_id>
                <channel>telegram_bot</channel><cc_data><id>4242</id></cc_data></xml>""".formatted(workspace.adminKey(), ada));
        assertThat(xml.status()).as(xml.text()).isEqualTo(200);
        assertThat(xml.header("Content-Type")).startsWith("application/xml");
        assertThat(xml.text()).contains("<cc_data><id>4242</id></cc_data>");

        assertThat(altcraft.data("subscriptions/delete", telegram(Map.of("id", "4242"), Map.of()))
                        .get("action")
                        .asString())
                .isEqualTo("deleted");
        ApiClient.Response undelete = altcraft.xml("subscriptions/undelete", """
                <xml><token>%s</token><db_id>1</db_id><profile_id>%s</profile_id><resource_id>1</resource_id>
                <channel>telegram_bot</channel><cc_data><chat_id>4242</chat_id></cc_data></xml>""".formatted(workspace.adminKey(), ada));
        assertThat(AltcraftClient.xmlTree(undelete.text())
                        .get("data")
                        .get("action")
                        .asString())
                .isEqualTo("restored");

        JsonNode list = altcraft.data("subscriptions/list", Map.of("db_id", 1, "profile_id", ada));
        assertThat(list.get(0).get("cc_data").toString()).isEqualTo("{\"id\":4242}");
        ApiClient.Response noChat = altcraft.call("subscriptions/set", telegram(Map.of("user", 1), Map.of()));
        assertThat(noChat.status()).isEqualTo(400);
        assertThat(noChat.json().get("error_text").asString())
                .contains("cc_data")
                .contains("id or chat_id");
    }

    @Test
    void messageUnsubAsDocumentedUnsubscribesTheProfileFromTheResourceOnEveryChannel() {
        altcraft.data("subscriptions/set", email(Map.of("status", "subscribed")));
        altcraft.data(
                "subscriptions/set",
                Map.of("db_id", 1, "profile_id", ada, "resource_id", 1, "channel", "sms", "phone", "+14155552671"));

        ApiClient.Response response = workspace
                .api()
                .send(
                        "POST",
                        AltcraftClient.BASE + "profiles/message_unsub",
                        Map.of("Content-Type", "application/xml"),
                        Golden.text("dialect/altcraft/message-unsub.request.xml")
                                .replace("{{token}}", workspace.adminKey())
                                .replace("{{profileId}}", ada));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(AltcraftClient.xmlTree(response.text()).toString())
                .isEqualTo(AltcraftClient.xmlTree(Golden.text("dialect/altcraft/message-unsub.response.xml")
                                .replace("{{profileId}}", ada))
                        .toString());
        JsonNode list = altcraft.data("subscriptions/list", Map.of("db_id", 1, "profile_id", ada));
        assertThat(list.findValuesAsString("status")).containsExactly("unsubscribed", "unsubscribed");
        assertThat(workspace.events(Long.parseLong(ada)).findValuesAsString("action"))
                .containsExactly("OPT_IN", "OPT_IN", "OPT_OUT", "OPT_OUT");
    }

    @Test
    void messageUnsubReachesAnAddressWithoutASubscriptionAndAppliesAfterAStateDatedAhead() {
        // subscribed with a date ahead of the server's clock (within the allowed skew)
        altcraft.data(
                "subscriptions/set",
                email(Map.of(
                        "status",
                        "subscribed",
                        "date",
                        Instant.now().plus(2, ChronoUnit.MINUTES).toString())));

        ApiClient.Response response = altcraft.call(
                "profiles/message_unsub", Map.of("rtoken", RTOKEN, "smid", ada, "token", workspace.adminKey()));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        // the email subscription and the phone the resource's sms channel would reach, both opted out
        JsonNode list = altcraft.data("subscriptions/list", Map.of("db_id", 1, "profile_id", ada));
        assertThat(list.findValuesAsString("channel")).containsExactlyInAnyOrder("email", "sms");
        assertThat(list.findValuesAsString("status")).containsOnly("unsubscribed");
    }

    @Test
    void messageUnsubWithCategoriesLeavesOnlyThoseAndLeavingTheLastIsAnOptOut() {
        altcraft.data(
                "subscriptions/set", email(Map.of("status", "subscribed", "cats", List.of("sport", "cat_to_unsub"))));

        ApiClient.Response response = workspace
                .api()
                .send(
                        "POST",
                        AltcraftClient.BASE + "profiles/message_unsub",
                        Map.of("Content-Type", "application/json"),
                        Golden.text("dialect/altcraft/message-unsub.request.json")
                                .replace("{{token}}", workspace.adminKey())
                                .replace("{{profileId}}", ada));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Golden.assertBody(response, "dialect/altcraft/message-unsub.response.json", Map.of("profileId", ada));
        JsonNode kept = altcraft.data("subscriptions/get", email(Map.of()));
        assertThat(kept.get("status").asString()).isEqualTo("subscribed");
        assertThat(kept.get("cats").toString()).isEqualTo("[\"sport\"]");

        altcraft.call("profiles/message_unsub", Map.of("rtoken", RTOKEN, "smid", ada, "categories", List.of("sport")));
        assertThat(altcraft.data("subscriptions/get", email(Map.of()))
                        .get("status")
                        .asString())
                .isEqualTo("unsubscribed");
    }

    @Test
    void messageUnsubRefusesWhatItCannotNameInAltcraftsShapeWritingNothing() {
        altcraft.data("subscriptions/set", email(Map.of("status", "subscribed")));
        int before = workspace.events(Long.parseLong(ada)).size();

        assertError(altcraft.call("profiles/message_unsub", Map.of("rtoken", "nope", "smid", ada)), 404, 7);
        assertError(altcraft.call("profiles/message_unsub", Map.of("rtoken", RTOKEN, "smid", "999999")), 404, 8);
        assertError(altcraft.call("profiles/message_unsub", Map.of("smid", ada)), 400, 5);
        assertError(
                altcraft.call(
                        "profiles/message_unsub",
                        Map.of("rtoken", RTOKEN, "smid", ada, "categories", List.of("gardening"))),
                400,
                5);
        assertThat(workspace.events(Long.parseLong(ada))).hasSize(before);
    }

    @Test
    void historyGetAllPagesWholeProfilesByTheirCursor() {
        String bob = altcraft.profile(1, Map.of("email", "bob@example.com"));
        String eve = altcraft.profile(2, Map.of("email", "eve@example.com"));
        altcraft.data("subscriptions/set", email(Map.of("status", "subscribed")));
        altcraft.data("subscriptions/set", email(Map.of("status", "unsubscribed")));
        altcraft.data(
                "subscriptions/set",
                Map.of(
                        "db_id",
                        1,
                        "profile_id",
                        bob,
                        "resource_id",
                        1,
                        "channel",
                        "email",
                        "email",
                        "bob@example.com"));
        altcraft.data(
                "subscriptions/set",
                Map.of(
                        "db_id",
                        2,
                        "profile_id",
                        eve,
                        "resource_id",
                        1,
                        "channel",
                        "email",
                        "email",
                        "eve@example.com"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Map<String, Object> query = new LinkedHashMap<>(
                Map.of("list_id", 1, "date_from", today, "date_to", today, "limit", 1, "fields", List.of("name")));

        // ids are opaque: pages come in id order, each of whole profiles (limit 1: one profile a page)
        List<List<String>> pages = new java.util.ArrayList<>();
        JsonNode page = altcraft.data("subscribers/history_get_all", query);
        while (!page.isEmpty()) {
            pages.add(page.findValuesAsString("profile_id"));
            if (page.get(0).get("profile_id").asString().equals(ada)) {
                assertThat(page.findValuesAsString("action")).containsExactly("opt_in", "opt_out");
                assertThat(page.get(0).get("subscription").get("resource_id").asInt())
                        .isEqualTo(1);
                assertThat(page.get(0).get("fields").get("name").asString()).isEqualTo("Ada");
            }
            query.put("from_id", page.get(page.size() - 1).get("xxh").asString());
            page = altcraft.data("subscribers/history_get_all", query);
        }
        assertThat(pages).containsExactlyInAnyOrder(List.of(ada, ada), List.of(bob));

        query.put("date_from", "2016-13-01");
        assertError(altcraft.call("subscribers/history_get_all", query), 400, 5);
    }

    @Test
    void profilesUpdateMergesFieldsAndAddsAMissingAddressButNeverReplacesOne() {
        String bob = altcraft.profile(1, Map.of("email", "bob@example.com"));
        JsonNode updated = altcraft.data(
                "profiles/update",
                Map.of(
                        "db_id",
                        1,
                        "matching",
                        "email",
                        "email",
                        "BOB@example.com",
                        "data",
                        Map.of("phone", "+14155550100", "name", "Bob")));
        assertThat(updated.get("profile_id").asString()).isEqualTo(bob);
        JsonNode profile = altcraft.data("profiles/get", Map.of("db_id", 1, "profile_id", bob));
        assertThat(profile.get("phone").asString()).isEqualTo("+14155550100");
        assertThat(profile.get("name").asString()).isEqualTo("Bob");

        assertError(
                altcraft.call(
                        "profiles/update",
                        Map.of("db_id", 1, "profile_id", bob, "data", Map.of("email", "robert@example.com"))),
                409,
                11);
        assertError(
                altcraft.call(
                        "profiles/update",
                        Map.of("db_id", 2, "matching", "email", "email", "bob@example.com", "data", Map.of("a", 1))),
                404,
                8);
        assertError(
                altcraft.call("profiles/update", Map.of("db_id", 1, "matching", "custom", "data", Map.of("a", 1))),
                400,
                5);
    }

    @Test
    void profilesDeleteErasesTheProfileThroughTheErasurePathAndTheChainStillVerifies() {
        altcraft.data("subscriptions/set", email(Map.of("status", "subscribed")));
        long contact = Long.parseLong(ada);

        ApiClient.Response json = altcraft.call("profiles/delete", Map.of("db_id", 1, "email", "ada@example.com"));
        assertThat(json.status()).as(json.text()).isEqualTo(200);
        Golden.assertBody(json, "dialect/altcraft/profiles-delete.response.json", Map.of());

        JsonNode events = workspace.events(contact);
        assertThat(events.get(events.size() - 1).get("action").asString()).isEqualTo("ERASE");
        assertThat(events.toString()).doesNotContain("ada@example.com");
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
        // the address names no profile any more
        assertError(altcraft.call("profiles/delete", Map.of("db_id", 1, "email", "ada@example.com")), 404, 8);
        assertError(altcraft.call("profiles/delete", Map.of("db_id", 1, "email", "nobody@example.com")), 404, 8);
    }

    @Test
    void aTrailingSlashIsServedAndEveryErrorAnswersInAltcraftsShapeAndTheAskedFormat() {
        String profile = ApiClient.json(Map.of("token", workspace.adminKey(), "db_id", 1, "profile_id", ada));
        ApiClient.Response slash = api.send(
                "POST",
                AltcraftClient.BASE + "profiles/get/?FORMAT=Xml",
                Map.of("Content-Type", "application/json"),
                profile);
        assertThat(slash.status()).as(slash.text()).isEqualTo(200);
        assertThat(slash.header("Content-Type")).startsWith("application/xml");

        assertError(
                api.send(
                        "POST", AltcraftClient.BASE + "profiles/get", Map.of("Content-Type", "application/json"), "{}"),
                401,
                2);
        ApiClient.Response unknownXml = api.send(
                "POST",
                AltcraftClient.BASE + "nothing/here?format=xml",
                Map.of("Content-Type", "application/json"),
                profile);
        assertThat(unknownXml.status()).isEqualTo(404);
        assertThat(unknownXml.header("Content-Type")).startsWith("application/xml");
        assertThat(AltcraftClient.xmlTree(unknownXml.text()).get("error").asString())
                .isEqualTo("4");
        assertError(
                api.send("POST", "/altcraft/api/v1.1/nothing", Map.of("Content-Type", "application/json"), profile),
                404,
                4);
        assertError(api.send("GET", AltcraftClient.BASE + "subscriptions/set", Map.of(), null), 405, 4);
        assertError(
                api.send(
                        "POST",
                        AltcraftClient.BASE + "profiles/get",
                        Map.of("Content-Type", "application/json"),
                        "{\"token\": "),
                400,
                1);
        assertError(
                api.send(
                        "POST",
                        AltcraftClient.BASE + "profiles/get",
                        Map.of("Content-Type", "application/json"),
                        "{\"x\": \"" + "a".repeat(300 * 1024) + "\"}"),
                413,
                12);
        ApiClient.Response largeXml = api.send(
                "POST",
                AltcraftClient.BASE + "profiles/get",
                Map.of("Content-Type", "application/xml"),
                "<xml><x>" + "a".repeat(300 * 1024) + "</x></xml>");
        assertThat(largeXml.status()).isEqualTo(413);
        assertThat(largeXml.header("Content-Type")).startsWith("application/xml");
    }

    private Map<String, Object> telegram(Map<String, Object> ccData, Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>(
                Map.of("db_id", 1, "profile_id", ada, "resource_id", 1, "channel", "telegram_bot", "cc_data", ccData));
        fields.putAll(extra);
        return fields;
    }

    private Map<String, Object> email(Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>(Map.of(
                "db_id", 1, "profile_id", ada, "resource_id", 1, "channel", "email", "email", "ada@example.com"));
        fields.putAll(extra);
        return fields;
    }

    private static void assertError(ApiClient.Response response, int status, int error) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().get("error").asInt()).as(response.text()).isEqualTo(error);
        assertThat(response.text()).doesNotContain("Exception");
    }
}
