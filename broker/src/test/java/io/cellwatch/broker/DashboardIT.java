package io.cellwatch.broker;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator dashboard in a real headless Chromium against a real server fed over real MQTT: login, drill-down
 * with deep links, the live cell grid, history charts, the plants map, and a tenant-B operator who never sees
 * tenant A. Screenshots of the views go to {@code target/screenshots/}.
 */
@Timeout(180)
class DashboardIT {

    static final String ACME_PLANT = "tenants/acme/plants/pa1";
    static final String ACME_PACK = ACME_PLANT + "/racks/r1/packs/k1";
    static final String NORDVOLT_PLANT = "tenants/nordvolt/plants/pb1";
    static final String NORDVOLT_PACK = NORDVOLT_PLANT + "/racks/r1/packs/k1";
    /** A cell of acme's pack that has only history: 30 samples one minute apart, ending 21 minutes ago. */
    static final String HISTORY_CELL = ACME_PACK + "/cells/9";
    static final int HISTORY_SAMPLES = 30;

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static Mqtt5BlockingClient acme;
    static Mqtt5BlockingClient nordvolt;

    @TempDir
    Path profile;
    Browser browser;

    @BeforeAll
    static void startServerWithTwoTenants() throws Exception {
        server = TestServers.start(dir);
        acme = Gateways.connect("gw-acme-1", server.mqttPort(), TestAccess.ACME_GATEWAY);
        nordvolt = Gateways.connect("gw-nordvolt-1", server.mqttPort(), TestAccess.NORDVOLT_GATEWAY);
        final long now = System.currentTimeMillis();
        for (int cell = 1; cell <= 8; cell++) {
            publish(acme, ACME_PACK + "/cells/" + cell, String.format(Locale.ROOT,
                    "{\"voltage\":%.3f,\"temperature\":%.1f,\"soc\":0.8,\"ts\":%d}", 3.6 + cell * 0.01, 25.0 + cell, now));
        }
        for (int cell = 1; cell <= 4; cell++) {
            publish(nordvolt, NORDVOLT_PACK + "/cells/" + cell, String.format(Locale.ROOT,
                    "{\"voltage\":%.3f,\"temperature\":%.1f,\"ts\":%d}", 3.2 + cell * 0.01, 20.0 + cell, now));
        }
        for (int i = 0; i < HISTORY_SAMPLES; i++) {
            publish(acme, HISTORY_CELL + "/voltage", String.format(Locale.ROOT, "{\"v\":%.3f,\"ts\":%d}", 3.5 + i * 0.002,
                    now - Duration.ofMinutes(50 - i).toMillis()));
        }
        retain(acme, ACME_PLANT + "/meta", "{\"name\":\"Acme Berlin\",\"lat\":52.52,\"lon\":13.40}");
        retain(nordvolt, NORDVOLT_PLANT + "/meta", "{\"name\":\"Nordvolt Oslo\",\"lat\":59.91,\"lon\":10.75}");
        final HttpApi admin = new HttpApi(server.httpPort());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.getJson("/api/v1/history?series="
                + URLEncoder.encode(HISTORY_CELL + "/voltage", StandardCharsets.UTF_8) + "&points=5000")
                .path("series").path(0).path("points")).hasSize(HISTORY_SAMPLES));
    }

    @AfterAll
    static void stopServer() {
        acme.disconnect();
        nordvolt.disconnect();
        server.close();
    }

    @BeforeEach
    void openBrowser() {
        browser = new Browser(server.httpPort(), profile);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void operatorLogsInAndDrillsFromTheFleetToAPackWithoutConsoleErrors() {
        browser.open("");
        browser.logIn(TestAccess.ACME_OPERATOR);

        awaitElement(By.cssSelector("tr[data-path='" + ACME_PLANT + "']"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/tenants/acme");
        browser.screenshot("fleet");
        // A plant is listed by the name its retained meta gives it.
        click(By.linkText("Acme Berlin"));
        awaitElement(By.cssSelector("tr[data-path='" + ACME_PLANT + "/racks/r1']"));
        click(By.linkText("r1"));
        awaitElement(By.cssSelector("tr[data-path='" + ACME_PACK + "']"));
        click(By.linkText("k1"));
        awaitElement(By.cssSelector("#cell-grid .cell"));
        click(By.cssSelector("#metric option[value='voltage']"));

        awaitCellValue(ACME_PACK + "/cells/8", "3.680");
        assertThat(browser.driver().findElements(By.cssSelector("#cell-grid .cell"))).hasSize(9);
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/" + ACME_PACK + "?metric=voltage");
        assertThat(browser.text(By.id("crumbs"))).contains("Acme Berlin", "Rack r1", "Pack k1");
        // The pack's minimum counts every cell's latest value, stale cell 9 included.
        assertThat(browser.text(By.cssSelector("[data-stat='min']"))).isEqualTo("3.558");
        assertThat(browser.text(By.cssSelector("[data-stat='max']"))).isEqualTo("3.680");
        // Cell 9 has only old history: marked stale with its age, not just coloured.
        assertThat(browser.attribute(cellSelector(HISTORY_CELL), "class")).contains("stale");
        assertThat(browser.text(cellSelector(HISTORY_CELL))).contains("min old");
        awaitElement(By.cssSelector("#history .plot[data-points]"));
        // Fresh values for cells 1-8, so the screenshot shows live cells beside stale cell 9.
        final long now = System.currentTimeMillis();
        for (int cell = 1; cell <= 8; cell++) {
            publish(acme, ACME_PACK + "/cells/" + cell, String.format(Locale.ROOT, "{\"voltage\":%.3f,\"ts\":%d}",
                    3.6 + cell * 0.01, now));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.driver()
                .findElements(By.cssSelector("#cell-grid .cell.stale")).size() == 1);
        browser.screenshot("pack");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void valuePublishedOverMqttAppearsInTheCellGridWithinOneSecond() {
        browser.open("#/" + ACME_PACK + "?metric=voltage");
        browser.logIn(TestAccess.ACME_OPERATOR);
        awaitCellValue(ACME_PACK + "/cells/3", "3.630");
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.text(By.id("conn")).equals("live"));

        publish(acme, ACME_PACK + "/cells/3", "{\"voltage\":3.777,\"temperature\":31.5,\"soc\":0.8}");

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> browser.text(By.cssSelector("[data-path='" + ACME_PACK + "/cells/3'] .value")).equals("3.777"));
        publish(acme, ACME_PACK + "/cells/3", "{\"voltage\":3.630,\"temperature\":28.0,\"soc\":0.8}");
    }

    @Test
    void fleetRowFollowsLiveSamplesBothWaysWithoutReload() {
        browser.open("");
        browser.logIn(TestAccess.ACME_OPERATOR);
        final By plantRow = By.cssSelector("tr[data-path='" + ACME_PLANT + "']");
        // Cells 1-8 at 3.610-3.680 V, stale cell 9 at 3.558 V.
        awaitText(plantRow, "3.558 – 3.680 (0.122)");
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.text(By.id("conn")).equals("live"));

        publish(acme, ACME_PACK + "/cells/8", "{\"voltage\":3.900}");
        awaitText(plantRow, "3.558 – 3.900 (0.342)");
        // The maximum falls back when the cell that held it falls: the statistics follow values, not a running max.
        publish(acme, ACME_PACK + "/cells/8", "{\"voltage\":3.680}");
        awaitText(plantRow, "3.558 – 3.680 (0.122)");
    }

    @Test
    void historyChartShowsEveryStoredSampleWithPointsFittedToItsWidth() {
        browser.open("#/" + HISTORY_CELL + "?metric=voltage");
        browser.logIn(TestAccess.ACME_OPERATOR);

        final WebElement plot = awaitElement(By.cssSelector("#history .plot[data-points]"));
        assertThat(plot.getAttribute("data-points")).isEqualTo(String.valueOf(HISTORY_SAMPLES));
        final long plotWidth = (Long) browser.script(
                "return Math.round(document.querySelector('#history .u-over').clientWidth)");
        assertThat(Long.parseLong(plot.getAttribute("data-requested-points"))).isEqualTo(plotWidth);
        // uPlot drew one path per series over the stored points.
        assertThat(browser.driver().findElements(By.cssSelector("#history canvas"))).isNotEmpty();
        assertThat(browser.text(By.cssSelector("#history .chart-status"))).startsWith(HISTORY_SAMPLES + " points");
        browser.screenshot("history");
    }

    @Test
    void mapShowsAPinForAPlantWithLocation() {
        browser.open("");
        browser.logIn(TestAccess.ACME_OPERATOR);

        final WebElement pin = awaitElement(By.cssSelector("#map .pin[data-path='" + ACME_PLANT + "']"));
        assertThat(pin.findElement(By.tagName("title")).getAttribute("textContent")).contains("Acme Berlin");
        assertThat(browser.driver().findElements(By.cssSelector("#map .pin"))).hasSize(1);
        browser.screenshot("fleet-map");
    }

    @Test
    void deepLinksSurviveReloadAndBackAndForward() {
        browser.open("#/" + ACME_PLANT);
        browser.logIn(TestAccess.ACME_OPERATOR);
        awaitElement(By.cssSelector("tr[data-path='" + ACME_PLANT + "/racks/r1']"));

        browser.driver().navigate().refresh();
        awaitElement(By.cssSelector("tr[data-path='" + ACME_PLANT + "/racks/r1']"));
        browser.go("#/" + ACME_PACK + "?metric=voltage");
        awaitCellValue(ACME_PACK + "/cells/1", "3.610");
        browser.driver().navigate().back();
        awaitElement(By.cssSelector("tr[data-path='" + ACME_PLANT + "/racks/r1']"));
        browser.driver().navigate().forward();
        awaitCellValue(ACME_PACK + "/cells/1", "3.610");
    }

    @Test
    void tenantBOperatorNeverSeesTenantA() throws Exception {
        browser.open("");
        browser.logIn(TestAccess.NORDVOLT_OPERATOR);

        // Fleet and map: only nordvolt.
        awaitElement(By.cssSelector("tr[data-path='" + NORDVOLT_PLANT + "']"));
        awaitElement(By.cssSelector("#map .pin[data-path='" + NORDVOLT_PLANT + "']"));
        assertThat(browser.driver().findElements(By.cssSelector("#map .pin"))).hasSize(1);
        assertThat(browser.driver().findElements(By.cssSelector("[data-path^='tenants/acme']"))).isEmpty();
        assertThat(browser.text(By.id("tenant-switch"))).isEmpty();

        // Live: acme's publish never reaches nordvolt's page, nordvolt's own does.
        publish(acme, ACME_PACK + "/cells/1", "{\"voltage\":4.999}");
        publish(nordvolt, NORDVOLT_PACK + "/cells/1", "{\"voltage\":4.111}");
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.pageText().contains("4.111"));
        assertNothingOfAcme();

        // Deep links typed by hand: the fleet, a plant, the pack (grid) and a cell (history) of acme.
        for (final String hash : List.of("#/tenants/acme", "#/" + ACME_PLANT, "#/" + ACME_PACK,
                "#/" + HISTORY_CELL + "?metric=voltage", "#/tenants/acme/plants/nothing-here")) {
            browser.go(hash);
            awaitElement(By.id("not-found"));
            assertThat(browser.driver().findElements(By.cssSelector(".cell, #history, #map"))).as(hash).isEmpty();
            assertNothingOfAcme();
        }
        browser.screenshot("tenant-b-deep-link");

        // What the page's own session may fetch: nothing of acme either.
        for (final String url : List.of("/api/v1/tree?path=tenants/acme", "/api/v1/snapshot?path=" + ACME_PACK,
                "/api/v1/plants?path=tenants/acme", "/api/v1/history?series=" + HISTORY_CELL + "/voltage")) {
            final Object status = browser.driver().executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch(arguments[0]).then(r => done(r.status), e => done(String(e)));", url);
            assertThat(status).as(url).isEqualTo(403L);
        }
        publish(acme, ACME_PACK + "/cells/1", "{\"voltage\":3.610}");
    }

    private void assertNothingOfAcme() {
        assertThat(browser.pageText()).doesNotContain("acme").doesNotContain("pa1").doesNotContain("4.999")
                .doesNotContain("Acme");
        assertThat(browser.driver().getPageSource()).doesNotContain("tenants/acme/plants/pa1/racks")
                .doesNotContain("Acme Berlin");
    }

    private static By cellSelector(final String cellPath) {
        return By.cssSelector("#cell-grid [data-path='" + cellPath + "']");
    }

    private void awaitCellValue(final String cellPath, final String value) {
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(By.cssSelector(
                "#cell-grid [data-path='" + cellPath + "'] .value")).equals(value));
    }

    private void awaitText(final By by, final String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver().findElements(by).isEmpty()
                && browser.text(by).contains(text));
    }

    private WebElement awaitElement(final By by) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver().findElements(by).isEmpty());
        return browser.driver().findElement(by);
    }

    private void click(final By by) {
        awaitElement(by).click();
    }

    static void publish(final Mqtt5BlockingClient client, final String topic, final String payload) {
        assertThat(Gateways.publish(client, topic, payload).isError()).as(topic + " " + payload).isFalse();
    }

    static void retain(final Mqtt5BlockingClient client, final String topic, final String payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }
}
