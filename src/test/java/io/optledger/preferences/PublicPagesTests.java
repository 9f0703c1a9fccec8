package io.optledger.preferences;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Browser;
import io.optledger.support.TestWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15: the public pages in a real headless Chromium: the preference page loaded from a minted link, toggled and
 * saved, with its ledger events; the one-click page; the confirmation of an email double opt-in; and the pages'
 * language, branding and masking.
 */
@ApiTest
class PublicPagesTests {

    private static ChromeDriver browser;

    @LocalServerPort
    int port;

    private TestWorkspace workspace;
    private long contact;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start("en-US");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void setUp() {
        workspace = TestWorkspace.create(new ApiClient(port));
        ApiClient api = workspace.api();
        String key = workspace.adminKey();
        assertThat(api.post(
                                "/v1/topics",
                                key,
                                ApiClient.json(Map.of(
                                        "key", "news",
                                        "name", "Weekly news",
                                        "description", "Our best stories, every Friday.",
                                        "kind", "MARKETING")))
                        .status())
                .isEqualTo(201);
        assertThat(api.post(
                                "/v1/topics",
                                key,
                                ApiClient.json(Map.of(
                                        "key", "security",
                                        "name", "Security alerts",
                                        "kind", "TRANSACTIONAL",
                                        "defaultOptIn", true,
                                        "mandatory", true)))
                        .status())
                .isEqualTo(201);
        assertThat(api.send(
                                "PUT",
                                "/v1/branding",
                                Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json"),
                                ApiClient.json(Map.of(
                                        "displayName", "Acme Coffee",
                                        "accentColor", "#6b3e26",
                                        "footerText", "Acme Coffee, 1 Bean Street, Portland",
                                        "privacyPolicyUrl", "https://acme.example/privacy")))
                        .status())
                .isEqualTo(200);
        contact = workspace.contact("ada@example.com", "+14155552671");
        change("EMAIL", "marketing", "OPT_IN");
    }

    @Test
    void thePreferencePageShowsTheStateAndSavesOnlyWhatThePersonChanged() throws Exception {
        browser.get(link("preferences", Map.of()));

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your communication preferences");
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang"))
                .isEqualTo("en-US");
        assertThat(browser.getPageSource()).contains("a***@example.com").doesNotContain("ada@example.com");
        assertThat(browser.findElement(By.tagName("header")).getText()).contains("Acme Coffee");
        assertThat(checkbox("EMAIL:marketing").isSelected()).isTrue();
        assertThat(checkbox("EMAIL:news").isSelected()).isFalse();
        assertThat(checkbox("EMAIL:security").isSelected()).isTrue();
        assertThat(checkbox("EMAIL:security").isEnabled()).isFalse();
        assertThat(browser.getPageSource()).contains("Our best stories, every Friday.");
        Files.createDirectories(Path.of("target/screenshots"));
        Files.write(Path.of("target/screenshots/preference-page.png"), browser.getScreenshotAs(OutputType.BYTES));

        int before = events().size();
        // a label click toggles its checkbox, as a person would
        browser.findElement(By.cssSelector("label[for='row-EMAIL:marketing']")).click();
        browser.findElement(By.cssSelector("label[for='row-EMAIL:news']")).click();
        press("button[value='save']");

        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
                .contains("Your preferences are saved.")
                .contains("2 changes were saved.");
        assertThat(checkbox("EMAIL:marketing").isSelected()).isFalse();
        assertThat(checkbox("EMAIL:news").isSelected()).isTrue();
        List<JsonNode> added = events().subList(before, events().size());
        assertThat(added).hasSize(2);
        for (JsonNode event : added) {
            assertThat(event.get("source").asString()).isEqualTo(PreferencePageController.SOURCE);
            assertThat(event.get("ip").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
            assertThat(event.get("userAgent").asString()).contains("Chrome");
            assertThat(event.get("details").get("locale").asString()).isEqualTo("en-US");
            assertThat(event.get("details").get("disclosure").asString()).contains("Acme Coffee");
        }
        assertThat(added.stream()
                        .map(e -> e.get("topic").asString() + ":"
                                + e.get("action").asString()))
                .containsExactlyInAnyOrder("marketing:OPT_OUT", "news:REQUEST_OPT_IN");
        assertThat(eligible("marketing")).isFalse();
        assertThat(eligible("news")).isTrue();

        // saving the page again unchanged writes nothing
        press("button[value='save']");
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
                .contains("Nothing needed changing.");
        assertThat(events()).hasSize(before + 2);
    }

    @Test
    void aLaterOptOutElsewhereIsNotUndoneByAPageRenderedBeforeIt() {
        browser.get(link("preferences", Map.of()));
        assertThat(checkbox("EMAIL:marketing").isSelected()).isTrue();
        // the person texts STOP or an integration opts them out while the page is open
        change("EMAIL", "marketing", "OPT_OUT");
        browser.findElement(By.cssSelector("label[for='row-EMAIL:news']")).click();
        press("button[value='save']");

        assertThat(eligible("marketing")).isFalse();
        assertThat(eligible("news")).isTrue();
    }

    @Test
    void unsubscribeFromAllMarketingLeavesEveryMarketingTopicAndKeepsTheMandatoryOne() {
        change("EMAIL", "news", "OPT_IN");
        browser.get(link("preferences", Map.of()));
        press("button[value='unsubscribe-all']");

        assertThat(eligible("marketing")).isFalse();
        assertThat(eligible("news")).isFalse();
        assertThat(eligible("security")).isTrue();
    }

    @Test
    void thePageSpeaksTheLinksLanguageThenTheBrowsers() {
        browser.get(link("preferences", Map.of("locale", "fr-CA")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Vos préférences de communication");
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang"))
                .isEqualTo("fr-CA");

        String url = link("preferences", Map.of());
        String path = url.substring(url.indexOf("/p/"));
        ApiClient.Response french =
                workspace.api().send("GET", path, Map.of("Accept-Language", "fr;q=0.9, en;q=0.5"), null);
        assertThat(french.text()).contains("lang=\"fr-CA\"").contains("Vos préférences de communication");
        ApiClient.Response other = workspace.api().send("GET", path, Map.of("Accept-Language", "de-DE"), null);
        assertThat(other.text()).contains("lang=\"en-US\"");
    }

    @Test
    void theOneClickPageUnsubscribesOnlyWhenItsButtonIsPressed() {
        browser.get(link("unsubscribe", Map.of("topic", "marketing", "channel", "EMAIL")));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("a***@example.com");
        assertThat(eligible("marketing")).isTrue();

        press("form button");

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("You are unsubscribed.");
        assertThat(eligible("marketing")).isFalse();
        assertThat(events().getLast().get("source").asString()).isEqualTo(OneClickController.SOURCE);
    }

    @Test
    void theConfirmationOfAnEmailDoubleOptInKeepsWhoConfirmedAndWhen() {
        assertThat(workspace
                        .api()
                        .post(
                                "/v1/topics",
                                workspace.adminKey(),
                                ApiClient.json(Map.of(
                                        "key", "letters",
                                        "name", "Letters",
                                        "kind", "MARKETING",
                                        "doubleOptIn", List.of("EMAIL"))))
                        .status())
                .isEqualTo(201);
        change("EMAIL", "letters", "REQUEST_OPT_IN");
        assertThat(eligible("letters")).isFalse();
        String confirm = link("confirm", Map.of("topic", "letters", "channel", "EMAIL"));
        // a scanner's fetch confirms nothing
        assertThat(workspace
                        .api()
                        .send("GET", confirm.substring(confirm.indexOf("/c/")), Map.of(), null)
                        .status())
                .isEqualTo(200);
        assertThat(eligible("letters")).isFalse();

        browser.get(confirm);
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("Letters")
                .contains("Acme Coffee");
        press("form button");

        assertThat(browser.findElement(By.tagName("h1")).getText())
                .isEqualTo("Thank you: your subscription is confirmed.");
        assertThat(eligible("letters")).isTrue();
        JsonNode confirmed = events().getLast();
        assertThat(confirmed.get("action").asString()).isEqualTo("CONFIRM");
        assertThat(confirmed.get("source").asString()).isEqualTo(ConfirmPageController.SOURCE);
        assertThat(confirmed.get("userAgent").asString()).contains("Chrome");
        assertThat(confirmed.get("ip").isNull()).isFalse();

        browser.get(confirm);
        press("form button");
        assertThat(browser.findElement(By.tagName("h1")).getText())
                .isEqualTo("Your subscription was already confirmed.");
    }

    /** Presses a form's button and waits for the page the post leads to. */
    private static void press(String button) {
        Browser.press(browser, By.cssSelector(button));
    }

    private WebElement checkbox(String field) {
        return browser.findElement(By.id("row-" + field));
    }

    private String link(String kind, Map<String, Object> more) {
        Map<String, Object> request = new java.util.HashMap<>(more);
        request.put("contactId", contact);
        request.put("kind", kind);
        ApiClient.Response minted = workspace.api().post("/v1/links", workspace.adminKey(), ApiClient.json(request));
        assertThat(minted.status()).as(minted.text()).isEqualTo(200);
        return minted.json().get("url").asString();
    }

    private void change(String channel, String topic, String action) {
        ApiClient.Response response =
                workspace.change(Map.of("contactId", contact, "channel", channel, "topic", topic, "action", action));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private boolean eligible(String topic) {
        return workspace
                .eligibility("channel=EMAIL&topic=" + topic + "&contactId=" + contact)
                .get("eligible")
                .asBoolean();
    }

    private List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        workspace.events(contact).forEach(events::add);
        return events;
    }
}
