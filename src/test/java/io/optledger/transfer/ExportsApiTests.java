package io.optledger.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WorkspaceApiTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exports over real HTTP: the state and the ledger streamed as CSV or NDJSON with filters, and a subscription export
 * imported as is into a fresh workspace reproducing the state.
 */
class ExportsApiTests extends WorkspaceApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anExportImportedIntoAFreshWorkspaceReproducesTheState() throws Exception {
        ImportClient imports = new ImportClient(port, workspace.adminKey());
        JsonNode setUp = imports.run("", "text/csv", """
                email,phone,channel,topic,status,occurredAt
                a@example.com,+14155550100,EMAIL,marketing,subscribed,2024-01-01T00:00:00Z
                a@example.com,+14155550100,SMS,marketing,unsubscribed,2024-01-02T00:00:00Z
                "b@example.com",,EMAIL,marketing,pending,2024-01-03T00:00:00Z
                c@example.com,,EMAIL,transactional,unsubscribed,2024-01-04T00:00:00.123456Z
                """);
        assertThat(setUp.at("/outcomes/created").asLong()).as(setUp.toString()).isEqualTo(4);
        long d = workspace.contact("d@example.com", "+14155550199");
        ApiClient.Response changed =
                workspace.change(Map.of("contactId", d, "channel", "SMS", "topic", "marketing", "action", "OPT_IN"));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);

        ApiClient.Response csv = imports.get("/v1/exports/subscriptions", "text/csv");
        assertThat(csv.status()).as(csv.text()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.text().lines().count()).as(csv.text()).isEqualTo(6);

        TestWorkspace fresh = TestWorkspace.create(api);
        ImportClient into = new ImportClient(port, fresh.adminKey());
        JsonNode job = into.run("", "text/csv", csv.text());
        assertThat(job.at("/outcomes/created").asLong()).as(job.toString()).isEqualTo(5);

        assertThat(state(into)).isEqualTo(state(imports));
    }

    @Test
    void exportsFilterAndPickTheirFormat() throws Exception {
        ImportClient imports = new ImportClient(port, workspace.adminKey());
        imports.run("", "application/x-ndjson", """
                {"email": "a@example.com", "channel": "EMAIL", "topic": "marketing", "status": "subscribed", "occurredAt": "2024-01-01T00:00:00Z"}
                {"email": "b@example.com", "channel": "EMAIL", "topic": "marketing", "status": "unsubscribed", "occurredAt": "2024-01-01T00:00:00Z"}
                {"email": "b@example.com", "channel": "EMAIL", "topic": "transactional", "status": "subscribed", "occurredAt": "2024-01-01T00:00:00Z"}
                """);
        assertThat(lines(imports, "/v1/exports/subscriptions?status=SUBSCRIBED", "application/x-ndjson"))
                .hasSize(2);
        assertThat(lines(imports, "/v1/exports/subscriptions?topic=marketing&format=ndjson", "*/*"))
                .hasSize(2);
        assertThat(lines(imports, "/v1/exports/subscriptions?channel=SMS", "application/x-ndjson"))
                .isEmpty();
        assertThat(lines(
                        imports, "/v1/exports/subscriptions?changedSince=2999-01-01T00:00:00Z", "application/x-ndjson"))
                .isEmpty();
        assertThat(lines(imports, "/v1/exports/subscriptions?format=csv", "*/*").getFirst())
                .startsWith("email,phone,externalId,channel,address,topic,status,occurredAt");

        long b = api.get("/v1/contacts?email=b@example.com", workspace.adminKey())
                .json()
                .at("/contacts/0/id")
                .asLong();
        List<String> events = lines(imports, "/v1/exports/events?contact=" + b, "application/x-ndjson");
        assertThat(events).hasSize(2);
        JsonNode first = JSON.readTree(events.getFirst());
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("hash").asString()).isNotBlank();
        assertThat(first.get("source").asString()).startsWith("import:");
        assertThat(lines(imports, "/v1/exports/events?from=2999-01-01T00:00:00Z", "application/x-ndjson"))
                .isEmpty();
        assertThat(lines(imports, "/v1/exports/events?format=csv", "*/*")).hasSize(4);

        assertThat(imports.get("/v1/exports/events?from=yesterday", "application/x-ndjson")
                        .status())
                .isEqualTo(400);
        assertThat(imports.get("/v1/exports/subscriptions?status=MAYBE", "text/csv")
                        .status())
                .isEqualTo(400);
        assertThat(imports.get("/v1/exports/subscriptions", "application/xml").status())
                .isEqualTo(406);
        // another workspace sees none of it
        TestWorkspace other = TestWorkspace.create(api);
        assertThat(lines(new ImportClient(port, other.adminKey()), "/v1/exports/events", "application/x-ndjson"))
                .isEmpty();
    }

    private static List<String> lines(ImportClient client, String path, String accept) {
        ApiClient.Response response = client.get(path, accept);
        assertThat(response.status()).as(path + ": " + response.text()).isEqualTo(200);
        return response.text().lines().toList();
    }

    /** The state as an export shows it, less what differs between workspaces (ids, sources, receipt times). */
    private static Map<String, String> state(ImportClient client) {
        return lines(client, "/v1/exports/subscriptions", "application/x-ndjson").stream()
                .map(JSON::readTree)
                .collect(Collectors.toMap(
                        s -> s.path("email").asString("") + "|"
                                + s.path("phone").asString("") + "|"
                                + s.get("channel").asString() + "|"
                                + s.get("address").asString() + "|"
                                + s.get("topic").asString(),
                        s -> s.get("status").asString() + "|"
                                + s.get("occurredAt").asString() + "|"
                                + s.path("suspendedUntil").asString("")));
    }
}
