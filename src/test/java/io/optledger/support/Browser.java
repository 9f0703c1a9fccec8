package io.optledger.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through Selenium: Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs. Where they are missing (a developer's machine), page tests are skipped, except in CI, where
 * they must run.
 */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {}

    /** A new headless browser speaking {@code language} first; close it with {@code quit()}. */
    public static ChromeDriver start(String language) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        Assumptions.assumeTrue(
                installed || System.getenv("CI") != null,
                "Chromium and chromedriver are not installed (apt install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--disable-gpu",
                        "--window-size=820,1100",
                        "--lang=" + language);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Presses a button (a form's submit) and waits until the page it was on has been replaced by the next. */
    public static void press(WebDriver browser, By button) {
        WebElement pressed = browser.findElement(button);
        pressed.click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> isGone(pressed));
    }

    /**
     * Whether an element's page has gone. Chromedriver says so as a stale element, or, when it asks while the next
     * document is replacing the old one, as an "unknown error" that the node "does not belong to the document" (seen
     * in CI): both mean the element is no longer in the page shown.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }
}
