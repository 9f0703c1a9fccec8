package io.optledger.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A generated 100,000-row import with what real files hold: duplicate rows, rows older than others for the same
 * subscription, bad phone numbers, unknown topics and a suppressed address. The dry run counts what the real run then
 * does, the state it leaves is the newest row of each subscription (opt-out winning a tie), and the same file again
 * creates and changes nothing.
 */
class ImportVolumeTests extends WorkspaceApiTest {

    private static final int ROWS = 100_000;
    private static final int CONTACTS = 5_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A generated file and the state the consent rules should leave, by subscription. */
    record Generated(String csv, Map<String, String> expected, long badPhones, long unknownTopics) {}

    static Generated generate(int rows, int contacts, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("email,phone,channel,topic,status,occurredAt\n");
        Map<String, String> expected = new HashMap<>();
        Map<String, Instant> newest = new HashMap<>();
        Instant base = Instant.parse("2023-01-01T00:00:00Z");
        long badPhones = 0;
        long unknownTopics = 0;
        String previous = null;
        String previousKind = "";
        for (int i = 0; i < rows; i++) {
            if (previous != null && random.nextInt(25) == 0) {
                // an exact duplicate of the row before: the same outcome, or an unchanged one
                csv.append(previous);
                badPhones += previousKind.equals("phone") ? 1 : 0;
                unknownTopics += previousKind.equals("topic") ? 1 : 0;
                continue;
            }
            int c = random.nextInt(contacts);
            String email = "u" + c + "@example.com";
            String phone = "+1415" + String.format("%07d", c);
            boolean sms = random.nextInt(4) == 0;
            String topic = random.nextInt(3) == 0 ? "news" : "marketing";
            boolean badPhone = sms && random.nextInt(40) == 0;
            boolean unknownTopic = random.nextInt(60) == 0;
            String status = random.nextBoolean() ? "subscribed" : "unsubscribed";
            // whole hours over a year: ties happen, and rows come older after newer ones
            Instant at = base.plus(Duration.ofHours(random.nextInt(24 * 365)));
            String row = email + "," + (sms ? (badPhone ? "12" : phone) : "") + "," + (sms ? "SMS" : "EMAIL") + ","
                    + (unknownTopic ? "no-such-topic" : topic) + "," + status + "," + at + "\n";
            csv.append(row);
            previous = row;
            previousKind = badPhone ? "phone" : unknownTopic ? "topic" : "";
            if (badPhone) {
                badPhones++;
                continue;
            }
            if (unknownTopic) {
                unknownTopics++;
                continue;
            }
            String key = (sms ? "SMS/" + phone : "EMAIL/" + email) + "/" + topic;
            Instant held = newest.get(key);
            if (held == null || at.isAfter(held) || (at.equals(held) && status.equals("unsubscribed"))) {
                newest.put(key, at);
                expected.put(key, status.equals("subscribed") ? "SUBSCRIBED" : "UNSUBSCRIBED");
            }
        }
        return new Generated(csv.toString(), expected, badPhones, unknownTopics);
    }

    @Test
    void aHundredThousandRowsApplyAsTheDryRunSaidAndTwiceDoubleNothing() throws Exception {
        ImportClient imports = new ImportClient(port, workspace.adminKey());
        assertThat(api.post(
                                "/v1/topics",
                                workspace.adminKey(),
                                "{\"key\":\"news\",\"name\":\"News\",\"kind\":\"MARKETING\",\"defaultOptIn\":false}")
                        .status())
                .isEqualTo(201);
        assertThat(api.post(
                                "/v1/suppressions",
                                workspace.adminKey(),
                                "{\"channel\":\"EMAIL\",\"address\":\"u7@example.com\",\"reason\":\"BOUNCE\"}")
                        .status())
                .isEqualTo(201);
        Generated file = generate(ROWS, CONTACTS, 18);

        JsonNode dry = imports.run("dryRun=true&notify=false", "text/csv", file.csv());
        JsonNode real = imports.run("notify=false", "text/csv", file.csv());
        assertThat(real.get("outcomes")).isEqualTo(dry.get("outcomes"));
        JsonNode outcomes = real.get("outcomes");
        assertThat(real.at("/rows/read").asLong()).isEqualTo(ROWS);
        assertThat(outcomes.at("/rejectedBy/invalid_phone").asLong()).isEqualTo(file.badPhones());
        assertThat(outcomes.at("/rejectedBy/unknown_topic").asLong()).isEqualTo(file.unknownTopics());
        assertThat(outcomes.get("created").asLong()).isEqualTo(file.expected().size());
        assertThat(outcomes.get("stale").asLong()).isPositive();
        assertThat(outcomes.get("created").asLong()
                        + outcomes.get("changed").asLong()
                        + outcomes.get("unchanged").asLong()
                        + outcomes.get("stale").asLong()
                        + outcomes.get("rejected").asLong())
                .isEqualTo(ROWS);

        // the state is the newest row of each subscription
        ApiClient.Response exported = imports.get("/v1/exports/subscriptions", "application/x-ndjson");
        Map<String, String> state = new HashMap<>();
        exported.text().lines().forEach(line -> {
            JsonNode s = JSON.readTree(line);
            state.put(
                    s.get("channel").asString() + "/" + s.get("address").asString() + "/"
                            + s.get("topic").asString(),
                    s.get("status").asString().toUpperCase(java.util.Locale.ROOT));
        });
        assertThat(state).isEqualTo(file.expected());
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&email=u7@example.com")
                        .at("/reasons/0/code")
                        .asString())
                .isEqualTo("suppressed");

        JsonNode again = imports.run("notify=false", "text/csv", file.csv());
        assertThat(again.at("/outcomes/created").asLong()).isZero();
        assertThat(again.at("/outcomes/changed").asLong()).isZero();
        assertThat(again.at("/outcomes/rejected").asLong())
                .isEqualTo(outcomes.get("rejected").asLong());
    }
}
