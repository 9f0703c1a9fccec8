package io.optledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Browser;
import io.optledger.support.TestWorkspace;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 19: the console in a real headless Chromium, as an operator uses it: sign in, search, open a person, verify
 * the chain (htmx), change a subscription and see the new event, sign out; and a read-only key that is shown nothing
 * it could not do. One browser and one workspace for the class.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePagesTests {

    @LocalServerPort
    int port;

    private ChromeDriver browser;
    private TestWorkspace workspace;
    private long ada;

    @BeforeAll
    void setUp() {
        browser = Browser.start("en-US");
        browser.manage().window().setSize(new Dimension(1366, 900));
        workspace = TestWorkspace.create(new ApiClient(port));
        ada = workspace.contact("ada@example.com", "+14155552671");
        assertThat(workspace
                        .change(Map.of(
                                "contactId", ada,
                                "channel", "EMAIL",
                                "topic", "marketing",
                                "action", "OPT_IN",
                                "source", "signup-form"))
                        .status())
                .isEqualTo(200);
        // a double opt-in by email: PENDING, and a confirmation email queued to her address
        assertThat(workspace
                        .api()
                        .post(
                                "/v1/topics",
                                workspace.adminKey(),
                                ApiClient.json(Map.of(
                                        "key",
                                        "news",
                                        "name",
                                        "Weekly news",
                                        "kind",
                                        "MARKETING",
                                        "doubleOptIn",
                                        java.util.List.of("EMAIL"))))
                        .status())
                .isEqualTo(201);
        assertThat(workspace
                        .change(Map.of(
                                "contactId", ada, "channel", "EMAIL", "topic", "news", "action", "REQUEST_OPT_IN"))
                        .status())
                .isEqualTo(200);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAdminFindsAPersonVerifiesTheChainChangesASubscriptionAndSignsOut() {
        signIn(workspace.adminKey());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
        // the chart library came from the service's own WebJar and drew the chart
        waitFor(By.cssSelector("#chart .uplot canvas"));

        browser.findElement(By.linkText("People")).click();
        WebElement search = browser.findElement(By.id("q"));
        search.sendKeys("ADA@example.com", Keys.ENTER);
        WebElement hit = browser.findElement(By.cssSelector("main table a"));
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("a***@example.com")
                .doesNotContain("ada@example.com");
        hit.click();

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Person " + ada);
        String person = browser.getCurrentUrl();
        String matrix =
                browser.findElement(By.id("matrix")).findElement(By.xpath("..")).getText();
        assertThat(matrix).contains("ada@example.com").contains("SUBSCRIBED").contains("may be messaged");
        assertThat(browser.findElement(By.id("timeline"))
                        .findElement(By.xpath(".."))
                        .getText())
                .contains("signup-form")
                .contains("OPT_IN");

        waitForHtmx(browser);
        browser.findElement(By.linkText("Verify chain")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("verification"), "The chain holds."));
        // swapped into the page by htmx, not a page of its own
        assertThat(browser.getCurrentUrl()).isEqualTo(person);
        assertThat(browser.findElement(By.linkText("Download proof")).getDomAttribute("href"))
                .isEqualTo("/console/people/" + ada + "/proof");

        WebElement form = browser.findElement(By.cssSelector("form[action$='/subscriptions']"));
        new Select(form.findElement(By.name("topic"))).selectByValue("marketing");
        new Select(form.findElement(By.name("action"))).selectByValue("OPT_OUT");
        form.findElement(By.name("reason")).sendKeys("Asked by phone to stop the newsletter");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("changed="));
        assertThat(browser.findElement(By.cssSelector("p[role=status]")).getText())
                .contains("the change is on the ledger");
        WebElement newest = browser.findElement(By.cssSelector("#timeline ~ div table tbody tr"));
        assertThat(newest.getText())
                .contains("OPT_OUT")
                .contains("SUBSCRIBED → UNSUBSCRIBED")
                .contains("console:key:key_")
                .contains("Asked by phone to stop the newsletter");
        assertThat(workspace
                        .eligibility("channel=EMAIL&topic=marketing&email=ada@example.com")
                        .get("eligible")
                        .asBoolean())
                .isFalse();

        browser.findElement(By.cssSelector("header form button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("signedOut"));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
                .isEqualTo("You are signed out.");
        browser.get(url("/console/people/" + ada));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in to the console");
    }

    @Test
    void aReadOnlyKeySeesNoAdminControls() {
        signIn(workspace.key("subscriptions:read"));
        browser.get(url("/console/people/" + ada));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Person " + ada);
        assertThat(browser.findElements(By.cssSelector("form[action$='/subscriptions']")))
                .isEmpty();
        assertThat(browser.findElement(By.tagName("nav")).getText())
                .contains("People")
                .doesNotContain("API keys")
                .doesNotContain("Webhooks");
        assertThat(browser.findElement(By.cssSelector("header .who")).getText()).contains("Read only");
        browser.get(url("/console/suppressions"));
        assertThat(browser.findElements(By.cssSelector("main form"))).isEmpty();
        browser.findElement(By.cssSelector("header form button")).click();
    }

    private void signIn(String key) {
        browser.get(url("/console/sign-in"));
        browser.manage().deleteAllCookies();
        browser.get(url("/console"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in to the console");
        WebElement field = browser.findElement(By.id("key"));
        assertThat(browser.findElement(By.cssSelector("label[for=key]")).getText())
                .isEqualTo("API key");
        field.sendKeys(key, Keys.ENTER);
    }

    /** Waits until htmx, from the service's own WebJar, has started on the page. */
    static void waitForHtmx(ChromeDriver browser) {
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(driver -> Boolean.TRUE.equals(browser.executeScript(
                        "return typeof htmx !== 'undefined' && document.readyState === 'complete'")));
    }

    private void waitFor(By what) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(what));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
