package io.optledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Browser;
import io.optledger.support.TestWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * Not a test: makes the screenshots in docs/ (console-person.png, console-dashboard.png) from a month of realistic
 * activity, recorded through the API with the service's clock moved back a day at a time. Run it on purpose:
 * {@code mvn test -Dtest=ConsoleScreenshots -Doptledger.screenshots=true}.
 */
@ApiTest
@Import(ConsoleScreenshots.MovedClock.class)
@EnabledIfSystemProperty(named = "optledger.screenshots", matches = "true")
class ConsoleScreenshots {

    private static final String BROWSER =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36";
    private static final MovableClock CLOCK = new MovableClock();

    @TestConfiguration
    static class MovedClock {
        @Bean
        @Primary
        Clock movableClock() {
            return CLOCK;
        }
    }

    @LocalServerPort
    int port;

    private ApiClient api;
    private TestWorkspace workspace;

    @Test
    void screenshots() throws Exception {
        api = new ApiClient(port);
        ApiClient.Response created = api.post(
                "/v1/workspaces",
                ApiTest.SYSTEM_KEY,
                ApiClient.json(Map.of("name", "Example Coffee", "defaultRegion", "US")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        workspace = new TestWorkspace(
                created.json().get("id").asLong(),
                created.json().get("adminKey").get("key").asString(),
                api);
        topic(Map.of("key", "news", "name", "Weekly news", "kind", "MARKETING", "doubleOptIn", List.of("EMAIL")));
        topic(Map.of("key", "offers", "name", "Offers", "kind", "MARKETING"));
        Random random = new Random(19);
        List<Long> subscribed = new ArrayList<>();
        List<Long> pending = new ArrayList<>();
        long ada = 0;
        int n = 0;
        for (int day = 29; day >= 0; day--) {
            CLOCK.daysAgo(day);
            List<Map<String, Object>> items = new ArrayList<>();
            int joins = 3 + random.nextInt(7) + (day < 10 ? 3 : 0);
            for (int i = 0; i < joins; i++) {
                long id = workspace.contact("person" + (++n) + "@example.net", "+1415555" + (1000 + n));
                items.add(item(id, "EMAIL", "marketing", "OPT_IN", random.nextBoolean() ? "checkout" : "signup-form"));
                subscribed.add(id);
                if (random.nextInt(3) == 0) {
                    items.add(item(id, "EMAIL", "news", "REQUEST_OPT_IN", "signup-form"));
                    pending.add(id);
                }
                if (random.nextInt(4) == 0) {
                    items.add(item(id, "SMS", "offers", "OPT_IN", "in-store"));
                }
            }
            for (int i = 0; i < 1 + random.nextInt(3) && pending.size() > 3; i++) {
                items.add(item(
                        pending.remove(random.nextInt(pending.size() - 2)), "EMAIL", "news", "CONFIRM", "email-link"));
            }
            for (int i = 0; i < random.nextInt(3) && subscribed.size() > 5; i++) {
                items.add(item(
                        subscribed.remove(random.nextInt(subscribed.size())),
                        "EMAIL",
                        "marketing",
                        "OPT_OUT",
                        "one-click"));
            }
            change(items);
            if (day == 12) {
                ada = adaSignsUp();
            }
            if (day == 4) {
                change(List.of(item(ada, "EMAIL", "news", "CONFIRM", "email-link")));
            }
        }
        CLOCK.now();
        change(List.of(item(ada, "SMS", "offers", "OPT_OUT", "sms-keyword")));

        ChromeDriver browser = Browser.start("en-US");
        try {
            browser.manage().window().setSize(new Dimension(1366, 1250));
            browser.get("http://localhost:" + port + "/console/sign-in");
            browser.findElement(By.id("key")).sendKeys(workspace.adminKey(), Keys.ENTER);
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart .uplot canvas")));
            Files.write(Path.of("docs/console-dashboard.png"), browser.getScreenshotAs(OutputType.BYTES));

            browser.get("http://localhost:" + port + "/console/people/" + ada);
            ConsolePagesTests.waitForHtmx(browser);
            browser.findElement(By.linkText("Verify chain")).click();
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(ExpectedConditions.textToBePresentInElementLocated(
                            By.id("verification"), "The chain holds."));
            browser.manage().window().setSize(new Dimension(1366, 2000));
            Files.write(Path.of("docs/console-person.png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    /** Ada finds the newsletter, then the text club: her page's story. */
    private long adaSignsUp() {
        ApiClient.Response created = api.post(
                "/v1/contacts",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "email", "ada@example.com",
                        "phone", "+14155552671",
                        "externalId", "crm-42",
                        "attributes", Map.of("firstName", "Ada", "plan", "pro"))));
        long ada = created.json().get("id").asLong();
        change(List.of(
                item(ada, "EMAIL", "marketing", "OPT_IN", "signup-form"),
                item(ada, "EMAIL", "news", "REQUEST_OPT_IN", "signup-form")));
        ApiClient.Response unit = api.post(
                "/v1/sign-up-units",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "name",
                        "Text club",
                        "channel",
                        "TEXT",
                        "subscriptionType",
                        "MARKETING",
                        "locale",
                        Map.of("language", "en", "country", "US"),
                        "disclosure",
                        "By joining you agree to receive recurring automated marketing texts from Example Coffee."
                                + " Msg & data rates may apply. Reply STOP to cancel.")));
        assertThat(unit.status()).as(unit.text()).isEqualTo(201);
        ApiClient.Response joined = api.send(
                "POST",
                "/attentive/v1/subscriptions",
                headers(),
                ApiClient.json(Map.of(
                        "user", Map.of("phone", "+14155552671"),
                        "signUpSourceId", unit.json().get("id").asString())));
        assertThat(joined.status()).as(joined.text()).isLessThan(300);
        ApiClient.Response yes = api.send(
                "POST", "/v1/inbound/sms", headers(), ApiClient.json(Map.of("from", "+14155552671", "body", "Y")));
        assertThat(yes.status()).as(yes.text()).isLessThan(300);
        change(List.of(item(ada, "SMS", "offers", "OPT_IN", "in-store")));
        return ada;
    }

    private void topic(Map<String, Object> topic) {
        assertThat(api.post("/v1/topics", workspace.adminKey(), ApiClient.json(topic))
                        .status())
                .isEqualTo(201);
    }

    private void change(List<Map<String, Object>> items) {
        if (items.isEmpty()) {
            return;
        }
        ApiClient.Response response =
                api.send("POST", "/v1/subscriptions/changes", headers(), ApiClient.json(Map.of("items", items)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private Map<String, String> headers() {
        return Map.of(
                "Authorization",
                "Bearer " + workspace.adminKey(),
                "Content-Type",
                "application/json",
                "User-Agent",
                BROWSER);
    }

    private static Map<String, Object> item(long contact, String channel, String topic, String action, String source) {
        Map<String, Object> item = new HashMap<>();
        item.put("contactId", contact);
        item.put("channel", channel);
        item.put("topic", topic);
        item.put("action", action);
        item.put("source", source);
        return item;
    }

    /** The real clock, moved back by whole days while the history is recorded. */
    static final class MovableClock extends Clock {

        private volatile Duration offset = Duration.ZERO;

        void daysAgo(int days) {
            offset = Duration.ofDays(-days);
        }

        void now() {
            offset = Duration.ZERO;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
