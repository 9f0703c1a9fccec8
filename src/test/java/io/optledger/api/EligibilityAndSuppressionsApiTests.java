package io.optledger.api;

import static io.optledger.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EligibilityAndSuppressionsApiTests extends WorkspaceApiTest {

    long contact;

    @BeforeEach
    void setUp() {
        contact = workspace.contact("edsger@example.com", "+14155550144");
    }

    @Test
    void neverAskedFollowsTheTopicDefault() {
        JsonNode marketing = workspace.eligibility("channel=EMAIL&topic=marketing&email=edsger@example.com");
        assertThat(marketing.get("eligible").asBoolean()).isFalse();
        assertThat(marketing.at("/reasons/0/code").asString()).isEqualTo("topic_default");
        JsonNode transactional = workspace.eligibility("channel=SMS&topic=transactional&email=edsger@example.com");
        assertThat(transactional.get("eligible").asBoolean()).isTrue();
        assertThat(transactional.get("address").asString()).isEqualTo("+14155550144");
    }

    @Test
    void aSuppressionOverridesEverySubscription() {
        workspace.change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
        ApiClient.Response suppressed = api.post(
                "/v1/suppressions",
                workspace.adminKey(),
                "{\"channel\":\"EMAIL\",\"address\":\"Edsger@Example.com\",\"reason\":\"BOUNCE\",\"note\":\"550\"}");
        assertThat(suppressed.status()).as(suppressed.text()).isEqualTo(201);
        assertThat(suppressed.json().get("address").asString()).isEqualTo("edsger@example.com");

        for (String topic : new String[] {"marketing", "transactional"}) {
            JsonNode eligibility = workspace.eligibility("channel=EMAIL&topic=" + topic + "&contactId=" + contact);
            assertThat(eligibility.get("eligible").asBoolean()).isFalse();
            assertThat(eligibility.at("/reasons/0/code").asString()).isEqualTo("suppressed");
        }
        // other channels are untouched
        assertThat(workspace
                        .eligibility("channel=SMS&topic=transactional&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isTrue();

        JsonNode listed =
                api.get("/v1/suppressions?limit=1", workspace.adminKey()).json();
        assertThat(listed.at("/suppressions/0/reason").asString()).isEqualTo("BOUNCE");
        assertThat(listed.get("nextCursor").asString()).isNotBlank();

        assertThat(api.delete("/v1/suppressions?channel=EMAIL&address=edsger@example.com", workspace.adminKey())
                        .status())
                .isEqualTo(204);
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&contactId=" + contact)
                        .get("eligible")
                        .asBoolean())
                .isTrue();
        assertProblem(
                api.delete("/v1/suppressions?channel=EMAIL&address=edsger@example.com", workspace.adminKey()),
                404,
                "not-found");
    }

    @Test
    void answersByEveryKindOfTarget() {
        workspace.change(Map.of("contactId", contact, "channel", "SMS", "topic", "marketing", "action", "OPT_IN"));
        for (String target : new String[] {
            "phone=%2B14155550144", "contactId=" + contact, "address=4155550144", "email=edsger@example.com"
        }) {
            JsonNode eligibility = workspace.eligibility("channel=SMS&topic=marketing&" + target);
            assertThat(eligibility.get("eligible").asBoolean()).as(target).isTrue();
            assertThat(eligibility.at("/reasons/0/contactId").asLong())
                    .as(target)
                    .isEqualTo(contact);
        }
        JsonNode push = workspace.eligibility("channel=PUSH&topic=marketing&address=device-token-1");
        assertThat(push.get("eligible").asBoolean()).isFalse();
    }

    @Test
    void refusesQuestionsThatCannotBeAnswered() {
        String key = workspace.adminKey();
        assertProblem(api.get("/v1/eligibility?channel=EMAIL&topic=marketing", key), 400, "invalid-request");
        assertProblem(
                api.get("/v1/eligibility?channel=EMAIL&topic=marketing&email=a@example.com&contactId=1", key),
                400,
                "invalid-request");
        assertProblem(api.get("/v1/eligibility?channel=FAX&topic=marketing&contactId=1", key), 400, "invalid-request");
        assertProblem(api.get("/v1/eligibility?channel=EMAIL&topic=marketing&email=bad", key), 400, "invalid-request");
        assertProblem(api.get("/v1/eligibility?channel=EMAIL&topic=nope&contactId=" + contact, key), 404, "not-found");
        assertProblem(
                api.get("/v1/eligibility?channel=EMAIL&topic=marketing&contactId=abc", key), 400, "invalid-request");
        assertProblem(api.rawGet("/v1/suppressions?cursor=%%%", key), 400, "invalid-request");
        assertProblem(api.get("/v1/suppressions?cursor=aGVsbG8", key), 400, "invalid-request");
        assertProblem(
                api.post(
                        "/v1/suppressions",
                        key,
                        "{\"channel\":\"EMAIL\",\"address\":\"x@example.com\",\"reason\":\"BORED\"}"),
                400,
                "invalid-request");
    }
}
