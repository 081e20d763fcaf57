package io.cellwatch.broker;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

import static org.awaitility.Awaitility.await;

/**
 * A real headless Chromium for dashboard tests: Debian's {@code chromium} driven through its {@code chromedriver} by
 * Selenium, both at fixed paths so nothing ever downloads a browser or a driver (Selenium Manager is never asked).
 * A fresh profile per instance; 1280×800 like an operator's laptop.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Where screenshots go: the module's target folder. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final String base;

    Browser(final int httpPort, final Path profile) {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("dashboard tests need Debian's chromium and chromium-driver: "
                    + "apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        final LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        final ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,800");
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        this.driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 800));
        this.base = "http://127.0.0.1:" + httpPort + "/";
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens the dashboard at {@code hash} (e.g. {@code #/tenants/acme}); an empty hash is the start page. */
    void open(final String hash) {
        driver.get(base + hash);
    }

    /** Types a new hash into the address bar, as a user following or typing a deep link. */
    void go(final String hash) {
        driver.executeScript("location.hash = arguments[0]", hash);
    }

    /** Logs in through the login dialog as {@code user} of {@link TestAccess}. */
    void logIn(final String user) {
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("login-dialog"))
                .getAttribute("open") != null);
        final WebElement name = driver.findElement(By.id("login-user"));
        name.clear();
        name.sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(TestAccess.password(user));
        driver.findElement(By.id("login-submit")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text(By.id("who")).equals(user));
    }

    /** The visible text of the first element matching {@code by}, or "" if there is none. */
    String text(final By by) {
        return readFirst(by, WebElement::getText, "");
    }

    /**
     * Attribute {@code name} of the first element matching {@code by}, or null if there is none. Live updates replace
     * rows at any moment, so a row found a moment ago may be gone when read: it is looked up again.
     */
    String attribute(final By by, final String name) {
        return readFirst(by, element -> element.getAttribute(name), null);
    }

    /** Attribute {@code name} of every element matching {@code css}, in page order, read in one script run. */
    @SuppressWarnings("unchecked")
    List<String> attributes(final String css, final String name) {
        return (List<String>) script("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(e => e.getAttribute(arguments[1]))", css, name);
    }

    private <T> T readFirst(final By by, final Function<WebElement, T> read, final T none) {
        StaleElementReferenceException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            final List<WebElement> found = driver.findElements(by);
            if (found.isEmpty()) {
                return none;
            }
            try {
                return read.apply(found.get(0));
            } catch (final StaleElementReferenceException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The visible text of the whole page. */
    String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    Object script(final String js, final Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Browser console entries at level SEVERE (errors, failed loads, uncaught exceptions) since the last call. */
    List<LogEntry> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
    }

    /** Saves a screenshot as {@code target/screenshots/<name>.png}; returns its path. */
    Path screenshot(final String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            final Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file,
                    StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
