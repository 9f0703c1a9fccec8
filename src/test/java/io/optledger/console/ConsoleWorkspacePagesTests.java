package io.optledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.console.ConsoleClient.Session;
import io.optledger.support.ApiClient;
import io.optledger.support.WorkspaceApiTest;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the console's workspace pages and dashboard over plain HTTP: each renders what the API holds, and an admin's
 * changes there (a key issued and revoked, a suppression added and lifted) take effect as through the API.
 */
class ConsoleWorkspacePagesTests extends WorkspaceApiTest {

    private ConsoleClient console;
    private Session admin;

    @BeforeEach
    void signIn() {
        console = new ConsoleClient(api);
        admin = console.signIn(workspace.adminKey());
    }

    @Test
    void everyPageRendersTheWorkspacesSettings() {
        ApiClient.Response unit = api.post(
                "/v1/sign-up-units",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "name", "Footer form",
                        "channel", "EMAIL",
                        "subscriptionType", "MARKETING",
                        "locale", Map.of("language", "en", "country", "US"),
                        "disclosure", "Yes, send me the newsletter.")));
        assertThat(unit.status()).as(unit.text()).isEqualTo(201);
        assertThat(api.patch(
                                "/v1/sign-up-units/" + unit.json().get("id").asString(),
                                workspace.adminKey(),
                                ApiClient.json(Map.of("disclosure", "Yes, send me the weekly newsletter.")))
                        .status())
                .isEqualTo(200);

        assertThat(page("/console/topics")).contains("marketing").contains("transactional");
        assertThat(page("/console/sign-up-units"))
                .contains("Footer form")
                .contains("Yes, send me the newsletter.")
                .contains("Yes, send me the weekly newsletter.");
        assertThat(page("/console/templates"))
                .contains("email_confirmation_request")
                .contains("fr-CA");
        assertThat(page("/console/webhooks")).contains("No webhook endpoints yet");
        assertThat(console.get("/console/webhooks/wh_nothing", admin.cookie()).status())
                .isEqualTo(404);
        assertThat(console.get("/console/nowhere", admin.cookie()).status()).isEqualTo(404);
    }

    @Test
    void theDashboardCountsTheLedgersChangesAndTheSubscriptionsNow() {
        long ada = workspace.contact("ada@example.com", "+14155552671");
        long bob = workspace.contact("bob@example.com", "+14155552672");
        change(ada, "OPT_IN");
        change(bob, "OPT_IN");
        change(bob, "OPT_OUT");
        change(bob, "OPT_OUT"); // unchanged: on the ledger, but not a change

        String html = page("/console?days=90&topic=marketing&channel=EMAIL");
        assertThat(html).contains("last 90 days");
        // the table row of today: 2 opt-ins, 1 opt-out, 0 confirmations
        Matcher row = Pattern.compile(
                        "<td>marketing</td>\\s*<td>EMAIL</td><td class=\"num\">(\\d+)</td>\\s*<td class=\"num\">(\\d+)</td><td class=\"num\">(\\d+)</td>")
                .matcher(html);
        assertThat(row.find()).as(html).isTrue();
        assertThat(List.of(row.group(1), row.group(2), row.group(3))).containsExactly("2", "1", "0");
        assertThat(page("/console?days=30")).contains("Subscribed now");
        assertThat(console.get("/console?days=7", admin.cookie()).status()).isEqualTo(400);
    }

    @Test
    void anAdminIssuesAKeySeenOnceRevokesItAndManagesSuppressions() {
        ApiClient.Response issued = console.post(
                "/console/keys",
                admin,
                Map.of("_csrf", admin.csrf(), "name", "crm sync", "scope", "SUBSCRIPTIONS_READ"));
        assertThat(issued.status()).as(issued.text()).isEqualTo(200);
        Matcher secret = Pattern.compile("<code id=\"issued-secret\">(olk_[0-9a-f]+)</code>")
                .matcher(issued.text());
        assertThat(secret.find()).isTrue();
        assertThat(api.get("/v1/topics", secret.group(1)).status()).isEqualTo(200);
        assertThat(page("/console/keys")).contains("crm sync").doesNotContain(secret.group(1));
        assertThat(console.post(
                                "/console/keys",
                                admin,
                                Map.of("_csrf", admin.csrf(), "name", "root", "scope", "SYSTEM"))
                        .status())
                .isEqualTo(400);

        String id = api.get("/v1/api-keys", workspace.adminKey())
                .json()
                .get("keys")
                .valueStream()
                .filter(k -> k.get("name").asString().equals("crm sync"))
                .findFirst()
                .orElseThrow()
                .get("id")
                .asString();
        assertThat(console.post("/console/keys/" + id + "/revoke", admin, Map.of("_csrf", admin.csrf()))
                        .status())
                .isEqualTo(302);
        assertThat(api.get("/v1/topics", secret.group(1)).status()).isEqualTo(401);

        assertThat(console.post(
                                "/console/suppressions",
                                admin,
                                Map.of(
                                        "_csrf", admin.csrf(),
                                        "channel", "EMAIL",
                                        "address", "Grace@Example.com",
                                        "reason", "COMPLAINT",
                                        "note", "spam report"))
                        .status())
                .isEqualTo(302);
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=transactional&email=grace@example.com")
                        .get("eligible")
                        .asBoolean())
                .isFalse();
        assertThat(page("/console/suppressions")).contains("g***@example.com").contains("COMPLAINT");
        assertThat(console.post(
                                "/console/suppressions/lift",
                                admin,
                                Map.of("_csrf", admin.csrf(), "channel", "EMAIL", "address", "grace@example.com"))
                        .status())
                .isEqualTo(400);
        assertThat(console.post(
                                "/console/suppressions/lift",
                                admin,
                                Map.of(
                                        "_csrf", admin.csrf(),
                                        "channel", "EMAIL",
                                        "address", "grace@example.com",
                                        "reason", "resolved with the person"))
                        .status())
                .isEqualTo(302);
        assertThat(api.get("/v1/ledger/workspace-events", workspace.adminKey()).text())
                .contains("SUPPRESSION_LIFTED")
                .contains("console:key:")
                .contains("resolved with the person");
    }

    private String page(String path) {
        ApiClient.Response response = console.get(path, admin.cookie());
        assertThat(response.status()).as(path + ": " + response.text()).isEqualTo(200);
        return response.text();
    }

    private void change(long contact, String action) {
        assertThat(workspace
                        .change(Map.of(
                                "contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action))
                        .status())
                .isEqualTo(200);
    }
}
