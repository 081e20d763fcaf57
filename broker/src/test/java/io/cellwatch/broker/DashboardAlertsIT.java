package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.config.AlertSettings;
import io.cellwatch.extension.config.FleetSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.cellwatch.broker.DashboardIT.publish;
import static io.cellwatch.broker.DashboardIT.retain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts and gateway states on the operator dashboard, in a real headless Chromium against a real server fed over
 * real MQTT: an alert raised by a publish shows in the panel and as badges, is acknowledged from the page, clears
 * with hysteresis; the event history; a killed gateway shows offline in the fleet view and online again; each
 * tenant's operator sees only its own tenant's alerts and gateways. Screenshots go to {@code target/screenshots/}.
 */
@Timeout(180)
class DashboardAlertsIT {

    static final String ACME_PLANT = "tenants/acme/plants/pa1";
    static final String ACME_RACK = ACME_PLANT + "/racks/r1";
    static final String ACME_PACK = ACME_RACK + "/packs/k1";
    /** A second plant, fed by its own gateway, which the gateway test kills. */
    static final String ACME_PLANT_2 = "tenants/acme/plants/pa2";
    static final String ACME_PLANT_2_RACK = ACME_PLANT_2 + "/racks/r1";
    /** A pack of plant 2 whose only samples are half an hour old: its row is marked stale. */
    static final String STALE_PACK = ACME_PLANT_2_RACK + "/packs/k9";
    /** Client ids of a gateway user are its name or its name and a suffix. */
    static final String KILLED_GATEWAY = TestAccess.ACME_GATEWAY + "-pa2";
    static final String NORDVOLT_PLANT = "tenants/nordvolt/plants/pb1";
    static final String NORDVOLT_PACK = NORDVOLT_PLANT + "/racks/r1/packs/k1";

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static Mqtt5BlockingClient acme;
    static Mqtt5BlockingClient nordvolt;
    static HttpApi acmeOperator;

    @TempDir
    Path profile;
    Browser browser;

    @BeforeAll
    static void startServerWithAlertRulesAndTwoTenants() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final Path rules = dir.resolve("conf").resolve("alerts.rules");
        Files.writeString(rules, """
                tenant acme
                alert cell-hot threshold plants/+/racks/+/packs/+/cells/+/temperature > 45 clear 43 severity critical
                tenant nordvolt
                alert cell-hot threshold plants/+/racks/+/packs/+/cells/+/temperature > 45 clear 43 severity critical
                """);
        // A gateway that publishes nothing stays online (not stale) for the length of the class.
        server = new CellwatchServer(config.withExtension(config.extension()
                .withAlerts(new AlertSettings(rules, 100)).withFleet(new FleetSettings(3_600_000))));
        server.start();
        acme = Gateways.connect("gw-acme-1", server.mqttPort(), TestAccess.ACME_GATEWAY);
        nordvolt = Gateways.connect("gw-nordvolt-1", server.mqttPort(), TestAccess.NORDVOLT_GATEWAY);
        final long now = System.currentTimeMillis();
        for (int cell = 1; cell <= 8; cell++) {
            publish(acme, ACME_PACK + "/cells/" + cell, String.format(Locale.ROOT,
                    "{\"voltage\":%.3f,\"temperature\":%.1f,\"ts\":%d}", 3.6 + cell * 0.01, 25.0 + cell, now));
        }
        publish(acme, ACME_PLANT_2_RACK + "/packs/k1/cells/1", "{\"voltage\":3.7,\"temperature\":24.0}");
        publish(acme, STALE_PACK + "/cells/1", String.format(Locale.ROOT, "{\"voltage\":3.7,\"ts\":%d}",
                now - Duration.ofMinutes(30).toMillis()));
        for (int cell = 1; cell <= 4; cell++) {
            publish(nordvolt, NORDVOLT_PACK + "/cells/" + cell, String.format(Locale.ROOT,
                    "{\"voltage\":%.3f,\"temperature\":%.1f,\"ts\":%d}", 3.2 + cell * 0.01, 20.0 + cell, now));
        }
        retain(acme, ACME_PLANT + "/meta", "{\"name\":\"Acme Berlin\",\"lat\":52.52,\"lon\":13.40,"
                + "\"gateways\":[\"gw-acme-1\"]}");
        retain(acme, ACME_PLANT_2 + "/meta", "{\"name\":\"Acme Hamburg\",\"lat\":53.55,\"lon\":9.99,"
                + "\"gateways\":[\"" + KILLED_GATEWAY + "\"]}");
        retain(nordvolt, NORDVOLT_PLANT + "/meta", "{\"name\":\"Nordvolt Oslo\",\"lat\":59.91,\"lon\":10.75,"
                + "\"gateways\":[\"gw-nordvolt-1\"]}");
        acmeOperator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
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
    void alertRaisedByAPublishShowsAsBadgesIsAcknowledgedFromThePageAndLeavesWhenItClearsWithHysteresis()
            throws Exception {
        final String cell = ACME_PACK + "/cells/3";
        final String series = cell + "/temperature";
        browser.open("");
        browser.logIn(TestAccess.ACME_OPERATOR);
        awaitElement(By.cssSelector("tr[data-path='" + ACME_PLANT + "']"));
        awaitLive();
        awaitText(By.id("alerts-summary"), "Alerts:");

        publish(acme, cell, "{\"temperature\":50.5}");

        // In the panel and as the plant row's badge within 2 s of the publish, and in the title.
        final By row = alertRow(series);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> !browser.driver().findElements(row).isEmpty()
                        && browser.text(badge(ACME_PLANT)).equals("1"));
        assertThat(browser.text(row)).contains("critical", "cell-hot", "Cell 3", "50.5 °C");
        assertThat(browser.text(By.id("alerts-summary"))).contains("1 active", "1 critical");
        assertThat(browser.driver().getTitle()).startsWith("(1) critical");
        browser.screenshot("alerts-fleet");

        // Every level down to the pack marks it: the plant's rack row, the rack's pack row, the cell's tile.
        browser.go("#/" + ACME_PLANT);
        awaitText(badge(ACME_RACK), "1");
        browser.go("#/" + ACME_RACK);
        awaitText(badge(ACME_PACK), "1");
        browser.go("#/" + ACME_PACK + "?metric=temperature");
        final By tile = By.cssSelector("#cell-grid .cell.alerting[data-path='" + cell + "']");
        awaitElement(tile);
        assertThat(browser.text(tile)).contains("⚠ 1");
        assertThat(browser.driver().findElements(By.cssSelector("#cell-grid .cell.alerting"))).hasSize(1);
        browser.screenshot("alerts-pack");

        // Acknowledged from the page: the server records the operator, and the panel shows it.
        awaitElement(By.cssSelector(rowCss(series) + " button.ack")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> "acknowledged".equals(
                browser.attribute(row, "data-state")));
        assertThat(browser.text(row)).contains(TestAccess.ACME_OPERATOR);
        assertThat(browser.driver().findElements(By.cssSelector(rowCss(series) + " button.ack"))).isEmpty();
        final JsonNode recorded = alert(series);
        assertThat(recorded.path("state").asText()).isEqualTo("acknowledged");
        assertThat(recorded.path("acknowledgedBy").asText()).isEqualTo(TestAccess.ACME_OPERATOR);
        assertThat(browser.driver().getTitle()).as("acknowledged: no longer calling for attention")
                .doesNotStartWith("(");

        // 44 °C is inside the band (clear at 43): still active; 42 °C clears it and it leaves the active list.
        publish(acme, cell, "{\"temperature\":44.0}");
        awaitEvaluated();
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                .until(() -> !browser.driver().findElements(row).isEmpty());
        assertThat(alert(series).path("state").asText()).isEqualTo("acknowledged");
        publish(acme, cell, "{\"temperature\":42.0}");
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.driver().findElements(row).isEmpty());
        awaitElement(By.cssSelector("#alerts-cleared tr[data-subject='" + series + "']"));
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.driver()
                .findElements(By.cssSelector("#cell-grid .cell.alerting")).isEmpty());
        assertThat(browser.text(By.id("alerts-summary"))).contains("none active");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void eventHistoryListsRaiseAcknowledgementAndClearInTheChosenRange() throws Exception {
        final String cell = ACME_PACK + "/cells/4";
        final String series = cell + "/temperature";
        publish(acme, cell, "{\"temperature\":47.0}");
        final String id = await().atMost(Duration.ofSeconds(10)).until(() -> alert(series),
                a -> a.path("state").asText().equals("raised")).path("id").asText();
        assertThat(acmeOperator.post("/api/v1/alerts/acknowledge?id=" + id).statusCode()).isEqualTo(200);
        publish(acme, cell, "{\"temperature\":41.0}");
        await().atMost(Duration.ofSeconds(30)).until(() -> events(id).size() == 3);

        browser.open("");
        browser.logIn(TestAccess.ACME_OPERATOR);
        awaitElement(By.id("alerts-history-link")).click();
        final String rowsCss = "#alert-history tbody tr[data-alert-id='" + id + "']";
        final By rows = By.cssSelector(rowsCss);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver().findElements(rows).size() == 3);
        final List<String> states = browser.attributes(rowsCss, "data-state");
        assertThat(states).as("newest first").containsExactly("cleared", "acknowledged", "raised");
        assertThat(browser.driver().findElements(rows).get(1).getText()).contains(TestAccess.ACME_OPERATOR, "47.0");
        assertThat(browser.driver().getCurrentUrl()).contains("#/alert-history");
        browser.screenshot("alerts-history");

        // A range that ends before the alert existed lists none of it.
        browser.go("#/alert-history?range=custom&from=0&to=1000");
        awaitText(By.id("history-status"), "0 changes");
        assertThat(browser.driver().findElements(rows)).isEmpty();
    }

    @Test
    void killedGatewayShowsOfflineInTheFleetViewFirstAndOnlineAgainWhenItReturns() throws Exception {
        final RawMqtt5Connection gateway = RawMqtt5Connection.open(server.mqttPort(), KILLED_GATEWAY,
                TestAccess.ACME_GATEWAY);
        browser.open("");
        browser.logIn(TestAccess.ACME_OPERATOR);
        final By plant2 = By.cssSelector("tr[data-path='" + ACME_PLANT_2 + "'] td.extra");
        awaitText(plant2, "online since");
        assertThat(plantOrder()).containsExactly(ACME_PLANT, ACME_PLANT_2);
        awaitText(gatewayRow(KILLED_GATEWAY), "online");

        // Its socket closes without a DISCONNECT: offline, and its plant sorts first.
        gateway.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.text(plant2).startsWith("offline since"));
        assertThat(browser.attribute(plant2, "class")).contains("gw-offline");
        assertThat(plantOrder()).containsExactly(ACME_PLANT_2, ACME_PLANT);
        assertThat(browser.attribute(gatewayRow(KILLED_GATEWAY), "data-state"))
                .isEqualTo("offline");
        browser.screenshot("gateways-fleet");

        // The plant's own page says which of its gateways is down.
        browser.go("#/" + ACME_PLANT_2);
        awaitText(By.cssSelector("#plant-gateways [data-gateway='" + KILLED_GATEWAY + "']"), "offline since");
        // Its pack whose samples are half an hour old is marked stale on the rack's page; the fresh one is not.
        publish(acme, ACME_PLANT_2_RACK + "/packs/k1/cells/1", "{\"voltage\":3.7,\"temperature\":24.0}");
        browser.go("#/" + ACME_PLANT_2_RACK);
        final By stalePack = By.cssSelector("tr.stale[data-path='" + STALE_PACK + "']");
        awaitText(stalePack, "stale");
        assertThat(browser.driver().findElements(By.cssSelector("tr.stale"))).hasSize(1);

        // It returns: online again, without a reload.
        browser.go("#/tenants/acme");
        try (RawMqtt5Connection back = RawMqtt5Connection.open(server.mqttPort(), KILLED_GATEWAY,
                TestAccess.ACME_GATEWAY)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.text(plant2).startsWith("online since"));
            assertThat(plantOrder()).containsExactly(ACME_PLANT, ACME_PLANT_2);
            assertThat(browser.attribute(gatewayRow(KILLED_GATEWAY), "data-state"))
                    .isEqualTo("online");
        }
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aDegradedGatewayShowsItsHealthInTheFleetAndPlantViews() throws Exception {
        final String healthTopic = TopicBuilder.tenant("acme").child("plants", "pa1")
                .gatewayHealth(TestAccess.ACME_GATEWAY);
        browser.open("");
        browser.logIn(TestAccess.ACME_OPERATOR);
        final By plant1 = By.cssSelector("tr[data-path='" + ACME_PLANT + "'] td.extra");
        awaitText(plant1, "online since");
        try {
            retain(acme, healthTopic, "{\"state\":\"degraded\",\"sources\":[{\"name\":\"bms\",\"state\":"
                    + "\"degraded\",\"detail\":\"1 of 3 requests failing\",\"problems\":[{\"request\":"
                    + "\"unit 1 holding 1+2 (lines 2-3)\",\"error\":\"Illegal Data Address (exception 2)\","
                    + "\"failures\":3,\"missing\":2,\"series\":[\"racks/r1/packs/k1/cells/1/voltage\","
                    + "\"racks/r1/packs/k1/cells/2/voltage\"]}]}]}");

            awaitText(plant1, "online since");
            awaitText(plant1, "· degraded: 2 series missing");
            awaitText(gatewayRow(TestAccess.ACME_GATEWAY), "degraded: 2 series missing");
            assertThat(browser.attribute(By.cssSelector("#gateways tr[data-gateway='" + TestAccess.ACME_GATEWAY
                    + "'] .gw-state"), "title")).contains("unit 1 holding 1+2 (lines 2-3)", "Illegal Data Address");
            browser.go("#/" + ACME_PLANT);
            final By onPlantPage = By.cssSelector("#plant-gateways [data-gateway='" + TestAccess.ACME_GATEWAY + "']");
            awaitText(onPlantPage, "online since");
            awaitText(onPlantPage, "degraded: 2 series missing");
            browser.screenshot("gateway-health-plant");
        } finally {
            retain(acme, healthTopic, "{\"state\":\"ok\",\"sources\":[]}");
        }
        awaitText(By.cssSelector("#plant-gateways [data-gateway='" + TestAccess.ACME_GATEWAY + "']"), "online since");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.text(By.cssSelector(
                "#plant-gateways [data-gateway='" + TestAccess.ACME_GATEWAY + "']")).contains("degraded"));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void eachTenantsOperatorSeesOnlyItsOwnAlertsAndGateways() throws Exception {
        final String acmeSeries = ACME_PACK + "/cells/5/temperature";
        final String nordvoltSeries = NORDVOLT_PACK + "/cells/2/temperature";
        publish(acme, ACME_PACK + "/cells/5", "{\"temperature\":60.0}");
        publish(nordvolt, NORDVOLT_PACK + "/cells/2", "{\"temperature\":61.0}");
        final HttpApi admin = new HttpApi(server.httpPort());
        // Both raises stored, so both operators' history views have a row of their own to show.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            final String stored = admin.getJson("/api/v1/alerts/history").toString();
            return stored.contains(acmeSeries) && stored.contains(nordvoltSeries);
        });
        try {
            browser.open("");
            browser.logIn(TestAccess.NORDVOLT_OPERATOR);
            awaitElement(alertRow(nordvoltSeries));
            awaitText(gatewayRow("gw-nordvolt-1"), "online");
            assertOnlyOwnTenant("acme", "gw-acme");
            browser.go("#/alert-history");
            awaitElement(By.cssSelector("#alert-history tbody tr"));
            assertOnlyOwnTenant("acme", "gw-acme");
            browser.screenshot("alerts-tenant-b");

            browser.driver().findElement(By.id("logout")).click();
            browser.logIn(TestAccess.ACME_OPERATOR);
            browser.go("#/tenants/acme");
            awaitElement(alertRow(acmeSeries));
            awaitText(gatewayRow("gw-acme-1"), "online");
            assertOnlyOwnTenant("nordvolt", "gw-nordvolt");
            browser.go("#/alert-history");
            awaitElement(By.cssSelector("#alert-history tbody tr"));
            assertOnlyOwnTenant("nordvolt", "gw-nordvolt");
        } finally {
            publish(acme, ACME_PACK + "/cells/5", "{\"temperature\":30.0}");
            publish(nordvolt, NORDVOLT_PACK + "/cells/2", "{\"temperature\":30.0}");
        }
    }

    private void assertOnlyOwnTenant(final String other, final String otherGateways) {
        assertThat(browser.pageText()).doesNotContain(other).doesNotContain(otherGateways);
        assertThat(browser.driver().getPageSource()).doesNotContain("tenants/" + other)
                .doesNotContain(otherGateways);
    }

    private List<String> plantOrder() {
        return browser.attributes("table.children[data-path='tenants/acme'] tbody tr", "data-path");
    }

    /** The alert about {@code subject} as acme's operator reads it over REST, or a missing node. */
    private static JsonNode alert(final String subject) throws Exception {
        for (final JsonNode alert : acmeOperator.getJson("/api/v1/alerts").path("alerts")) {
            if (alert.path("subject").asText().equals(subject)) {
                return alert;
            }
        }
        return HttpApi.JSON.missingNode();
    }

    /** The stored changes of alert {@code id}, as acme's operator reads them over REST. */
    private static List<JsonNode> events(final String id) throws Exception {
        final List<JsonNode> found = new ArrayList<>();
        for (final JsonNode event : acmeOperator.getJson("/api/v1/alerts/history").path("events")) {
            if (event.path("id").asText().equals(id)) {
                found.add(event);
            }
        }
        return found;
    }

    /** Waits until the alert engine has judged every sample published so far (the metric counts them). */
    private static void awaitEvaluated() throws Exception {
        final HttpApi admin = new HttpApi(server.httpPort());
        final double accepted = admin.metric("cellwatch_ingest_samples_accepted_total");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.metric("cellwatch_alerts_samples_evaluated_total") >= accepted);
    }

    private static String rowCss(final String subject) {
        return "#alerts-active tr[data-subject='" + subject + "']";
    }

    private static By alertRow(final String subject) {
        return By.cssSelector(rowCss(subject));
    }

    private static By badge(final String path) {
        return By.cssSelector("tr[data-path='" + path + "'] th .badge");
    }

    private static By gatewayRow(final String gateway) {
        return By.cssSelector("#gateways tr[data-gateway='" + gateway + "']");
    }

    private void awaitLive() {
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.text(By.id("conn")).equals("live"));
    }

    private void awaitText(final By by, final String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver().findElements(by).isEmpty()
                && browser.text(by).contains(text));
    }

    private WebElement awaitElement(final By by) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver().findElements(by).isEmpty());
        return browser.driver().findElement(by);
    }
}
