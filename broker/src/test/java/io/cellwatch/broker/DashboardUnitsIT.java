package io.cellwatch.broker;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static io.cellwatch.broker.DashboardIT.publish;
import static io.cellwatch.broker.DashboardIT.retain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Units, names, the CSV download and the phone layout of the operator dashboard, in a real headless Chromium against
 * a real server fed over real MQTT: numbers carry the unit and decimals the server's display table gives
 * ({@code 3.418 V}, {@code 35.7 %}), a tenant's override reaches only its own operator, headings and breadcrumbs use
 * singular level names and the plant's meta name, "Download CSV" fetches the raw rows of the range shown, and at
 * 390 × 844 the fleet, pack and alerts views do not scroll sideways. Screenshots go to {@code target/screenshots/}.
 */
@Timeout(180)
class DashboardUnitsIT {

    static final String ACME_PLANT = "tenants/acme/plants/pu1";
    static final String ACME_RACK = ACME_PLANT + "/racks/r1";
    static final String ACME_PACK = ACME_RACK + "/packs/k1";
    static final String ACME_CELL = ACME_PACK + "/cells/1";
    static final String PLANT_NAME = "Acme Units Plant";
    static final String OVERCHARGED_CELL = "tenants/acme/plants/pu2/racks/r1/packs/k1/cells/2";
    static final String NORDVOLT_PACK = "tenants/nordvolt/plants/pn1/racks/r1/packs/k1";
    /** Voltage samples of cell 1 before the live one: minutes ago, inside the one hour a chart shows. */
    static final int[] OLDER_MINUTES = {10, 20, 30, 40};

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static Mqtt5BlockingClient acme;
    static Mqtt5BlockingClient nordvolt;

    @TempDir
    Path profile;
    Browser browser;

    @BeforeAll
    static void startServerWithAnOverrideForNordvoltAndAHotCell() throws Exception {
        final Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("display.conf"), """
                # nordvolt shows its voltages in millivolts; acme keeps the built-in volts
                tenant nordvolt
                metric voltage unit mV scale 1000 decimals 0
                level packs "Battery pack"
                """);
        Files.writeString(conf.resolve("alerts.rules"), """
                tenant acme
                alert cell-hot-on-a-long-named-rule threshold plants/+/racks/+/packs/+/cells/+/temperature > 45 clear 43 severity critical
                """);
        server = TestServers.start(dir);
        acme = Gateways.connect("gw-acme-1", server.mqttPort(), TestAccess.ACME_GATEWAY);
        nordvolt = Gateways.connect("gw-nordvolt-1", server.mqttPort(), TestAccess.NORDVOLT_GATEWAY);
        final long now = System.currentTimeMillis();
        for (final int minutes : OLDER_MINUTES) {
            publish(acme, ACME_CELL, String.format(Locale.ROOT, "{\"voltage\":%.3f,\"ts\":%d}", 3.4 + minutes / 1000.0,
                    now - Duration.ofMinutes(minutes).toMillis()));
        }
        // Two hours ago: outside the hour shown, so never in its download.
        publish(acme, ACME_CELL, String.format(Locale.ROOT, "{\"voltage\":3.111,\"ts\":%d}",
                now - Duration.ofHours(2).toMillis()));
        publish(acme, ACME_CELL, String.format(Locale.ROOT,
                "{\"voltage\":3.418,\"temperature\":35.66,\"soc\":0.357,\"ts\":%d}", now));
        for (int cell = 2; cell <= 16; cell++) {
            publish(acme, ACME_PACK + "/cells/" + cell, String.format(Locale.ROOT,
                    "{\"voltage\":%.3f,\"temperature\":%.1f,\"soc\":%.3f,\"ts\":%d}", 3.4 + cell * 0.01, 25.0 + cell,
                    0.5 + cell * 0.01, now));
        }
        // One hot cell in a second plant: an active alert in the panel, a long row for a narrow screen.
        publish(acme, "tenants/acme/plants/pu2/racks/r1/packs/k1/cells/1", "{\"voltage\":3.5,\"temperature\":50.5}");
        // A voltage above the 4.3 V a cell is expected to hold.
        publish(acme, OVERCHARGED_CELL, "{\"voltage\":4.9}");
        for (int cell = 1; cell <= 4; cell++) {
            publish(nordvolt, NORDVOLT_PACK + "/cells/" + cell, String.format(Locale.ROOT,
                    "{\"voltage\":%.3f,\"ts\":%d}", 3.2 + cell * 0.01, now));
        }
        retain(acme, ACME_PLANT + "/meta", "{\"name\":\"" + PLANT_NAME + "\",\"lat\":52.52,\"lon\":13.40}");
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
    void numbersCarryTheirUnitsAndHeadingsNameLevelsAndThePlantAsItsMetaDoes() {
        browser.open("#/" + ACME_PACK + "?metric=voltage");
        browser.logIn(TestAccess.ACME_OPERATOR);
        final By tile = By.cssSelector("#cell-grid [data-path='" + ACME_CELL + "']");
        awaitText(tile, "3.418 V");
        assertThat(browser.text(By.tagName("h1"))).startsWith("Pack k1");
        assertThat(browser.text(By.id("crumbs"))).contains("Tenant acme", PLANT_NAME, "Rack r1", "Pack k1")
                .doesNotContain("packs k1", "plants pu1");
        browser.screenshot("units-pack");

        browser.go("#/" + ACME_PACK + "?metric=soc");
        awaitText(tile, "35.7 %");

        browser.go("#/" + ACME_CELL + "?metric=voltage");
        awaitText(By.cssSelector("dd[data-metric='voltage']"), "3.418 V");
        assertThat(browser.text(By.cssSelector("dd[data-metric='soc']"))).startsWith("35.7 %");
        assertThat(browser.text(By.cssSelector("dd[data-metric='temperature']"))).startsWith("35.7 °C");
        assertThat(browser.text(By.tagName("h1"))).startsWith("Cell 1");
        browser.screenshot("units-cell");
        assertThat(browser.driver().findElements(By.cssSelector("dd.out-of-range"))).as("all in range").isEmpty();

        // A value outside its metric's expected range is marked and says which range.
        browser.go("#/" + OVERCHARGED_CELL);
        final By overcharged = By.cssSelector("dd.out-of-range[data-metric='voltage']");
        awaitText(overcharged, "4.900 V");
        assertThat(browser.text(overcharged)).contains("outside the expected 2.500 – 4.300 V");

        // The plant: its meta name in the heading, and in the fleet list it is listed by.
        browser.go("#/" + ACME_PLANT);
        awaitText(By.tagName("h1"), PLANT_NAME);
        assertThat(browser.text(By.tagName("h1"))).contains("Plant pu1");
        browser.go("#/tenants/acme");
        awaitText(By.cssSelector("tr[data-path='" + ACME_PLANT + "'] th a"), PLANT_NAME);
        assertThat(browser.text(By.cssSelector("table.children[data-path='tenants/acme'] thead")))
                .contains("Plant", "Voltage (V) min – max");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aTenantsDisplayOverrideShowsOnlyOnItsOwnOperatorsPage() {
        browser.open("#/" + NORDVOLT_PACK + "?metric=voltage");
        browser.logIn(TestAccess.NORDVOLT_OPERATOR);
        awaitText(By.cssSelector("#cell-grid [data-path='" + NORDVOLT_PACK + "/cells/1']"), "3210 mV");
        assertThat(browser.text(By.tagName("h1"))).startsWith("Battery pack k1");

        browser.driver().findElement(By.id("logout")).click();
        browser.logIn(TestAccess.ACME_OPERATOR);
        browser.go("#/" + ACME_PACK + "?metric=voltage");
        awaitText(By.cssSelector("#cell-grid [data-path='" + ACME_CELL + "']"), "3.418 V");
        assertThat(browser.pageText()).doesNotContain("mV").doesNotContain("Battery pack");
    }

    @Test
    void downloadCsvLinksFetchTheRawRowsOfTheRangeShown() {
        browser.open("#/" + ACME_CELL + "?metric=voltage");
        browser.logIn(TestAccess.ACME_OPERATOR);
        awaitHref("#history-csv");
        browser.screenshot("units-csv");
        // The hour shown: the live sample's three metrics and the four older voltages; not the one of two hours ago.
        final List<String> cellRows = awaitRows("#history-csv", 1 + 3 + OLDER_MINUTES.length);
        assertThat(cellRows.get(0)).isEqualTo("series,ts,value,seq,received");
        assertThat(cellRows.subList(1, cellRows.size())).allMatch(row -> row.startsWith(ACME_CELL + "/"));
        assertThat(cellRows).anyMatch(row -> row.startsWith(ACME_CELL + "/voltage,") && row.contains(",3.418,"))
                .anyMatch(row -> row.startsWith(ACME_CELL + "/soc,") && row.contains(",0.357,"))
                .noneMatch(row -> row.contains(",3.111,"));

        // The pack: every cell's samples of the hour shown.
        browser.go("#/" + ACME_PACK + "?metric=voltage");
        awaitHref("#history-csv");
        final List<String> packRows = awaitRows("#history-csv", 1 + 3 + OLDER_MINUTES.length + 15 * 3);
        assertThat(packRows.subList(1, packRows.size())).allMatch(row -> row.startsWith(ACME_PACK + "/cells/"));

        // The plant has no chart: its link takes the range chosen beside it (24 h by default).
        browser.go("#/" + ACME_PLANT);
        awaitHref("#history-csv");
        final List<String> plantRows = awaitRows("#history-csv", 1 + 3 + OLDER_MINUTES.length + 1 + 15 * 3);
        assertThat(plantRows).anyMatch(row -> row.contains(",3.111,"));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void atPhoneWidthFleetPackAndAlertsNeverScrollSideways() {
        browser.driver().manage().window().setSize(new Dimension(390, 844));
        browser.open("");
        browser.logIn(TestAccess.ACME_OPERATOR);
        assertThat(((Number) browser.script("return window.innerWidth")).intValue()).isEqualTo(390);

        awaitText(By.cssSelector("tr[data-path='" + ACME_PLANT + "'] th a"), PLANT_NAME);
        awaitText(By.id("alerts-summary"), "1 active");
        assertNoSidewaysScroll("fleet");
        browser.screenshot("phone-fleet");

        browser.go("#/" + ACME_PACK + "?metric=voltage");
        awaitText(By.cssSelector("#cell-grid [data-path='" + ACME_CELL + "']"), "3.418 V");
        browser.script("document.getElementById('alerts-details').open = false");
        awaitElement(By.cssSelector("#history .plot[data-points]"));
        assertNoSidewaysScroll("pack");
        browser.screenshot("phone-pack");

        browser.go("#/alert-history");
        awaitText(By.id("history-status"), "changes");
        browser.script("document.getElementById('alerts-details').open = true");
        awaitElement(By.cssSelector("#alerts-active tr"));
        assertNoSidewaysScroll("alerts");
        browser.screenshot("phone-alerts");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private void assertNoSidewaysScroll(final String view) {
        final long scrollWidth = ((Number) browser.script("return document.documentElement.scrollWidth"))
                .longValue();
        final long innerWidth = ((Number) browser.script("return window.innerWidth")).longValue();
        assertThat(scrollWidth).as(view + ": page width at a " + innerWidth + " px window").isLessThanOrEqualTo(innerWidth);
    }

    private void awaitHref(final String css) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            final String href = browser.attribute(By.cssSelector(css), "href");
            return href != null && href.contains("/api/v1/export?");
        });
    }

    /** Fetches the link's download with the page's own session until it has {@code lines} lines; returns them. */
    private List<String> awaitRows(final String css, final int lines) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            final Object body = browser.driver().executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch(document.querySelector(arguments[0]).href, {credentials: 'same-origin'})"
                            + ".then(r => r.status === 200 ? r.text() : 'HTTP ' + r.status).then(done, e => done(String(e)));",
                    css);
            return Arrays.stream(String.valueOf(body).split("\r?\n")).filter(line -> !line.isEmpty()).toList();
        }, rows -> rows.size() == lines);
    }

    private void awaitText(final By by, final String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver().findElements(by).isEmpty()
                && browser.text(by).contains(text));
    }

    private void awaitElement(final By by) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver().findElements(by).isEmpty());
    }
}
