package io.cellwatch.broker;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.PackPhysics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.cellwatch.broker.DashboardIT.retain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pack page's battery analytics in a real Chromium: a pack simulated by {@link PackPhysics} for 15 minutes of
 * current steps and then a 40-minute discharge (a 30 % swing of state of charge, so its capacity is measured), its
 * plant's meta rating the packs at 50 Ah: the page ranks the two planted weak cells first, marks their tiles, and
 * shows the pack's state of health; another tenant's operator sees none of it.
 */
@Timeout(180)
class DashboardAnalyticsIT {

    static final TopicBuilder PLANT = TopicBuilder.tenant("acme").child("plants", "pa1");
    static final TopicBuilder PACK = PLANT.child("racks", "r1").child("packs", "k1");
    static final int[] WEAK = {4, 11};
    static final int STEPPING = 15 * 60;
    static final int DISCHARGE = 40 * 60;

    @TempDir
    static Path dir;
    static CellwatchServer server;

    @TempDir
    Path profile;
    Browser browser;

    @BeforeAll
    static void publishAnHourOfAPackWithTwoWeakCells() throws Exception {
        server = TestServers.start(dir);
        final Mqtt5BlockingClient meta = Gateways.connect(TestAccess.ACME_GATEWAY + "-meta", server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        retain(meta, PLANT.reserved("meta"), PayloadWriter.plantMeta("Acme Analytics", 52.5, 13.4, List.of(), 50));
        meta.disconnect();
        final int seconds = STEPPING + DISCHARGE;
        final long start = System.currentTimeMillis() - seconds * 1_000L - 60_000;
        try (PackPublisher pack = new PackPublisher(server.mqttPort(), TestAccess.ACME_GATEWAY, PACK,
                new PackPhysics(16, 50, 0.8, 7, WEAK))) {
            pack.profile(start, 0, STEPPING);
            pack.hold(start, STEPPING, seconds, -25);
            final HttpApi admin = new HttpApi(server.httpPort());
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.getJson("/api/v1/analytics?path="
                    + PACK.node()).path("samples").asLong() == (long) seconds * pack.routedPerSecond());
        }
    }

    @AfterAll
    static void stop() {
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
    void thePackPageRanksTheWeakCellsFirstMarksTheirTilesAndShowsTheStateOfHealth() {
        browser.open("#/" + PACK.node());
        browser.logIn(TestAccess.ACME_OPERATOR);
        final String rows = "#resistance-ranking tbody tr";
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.attributes(rows, "data-cell").size() == 16);
        assertThat(browser.attributes(rows, "data-cell").subList(0, 2))
                .containsExactlyInAnyOrder(cell(WEAK[0]), cell(WEAK[1]));
        assertThat(browser.attributes(rows + ".outlier", "data-cell")).hasSize(2);
        assertThat(browser.attributes("#cell-grid .cell.weak", "data-path"))
                .containsExactlyInAnyOrder(cell(WEAK[0]), cell(WEAK[1]));
        final String soh = browser.text(By.cssSelector("#analytics-summary dd[data-stat='State of health']"));
        assertThat(soh).matches("9\\d\\.\\d %");
        assertThat(browser.text(By.cssSelector("#analytics-summary dd[data-stat='Capacity']"))).matches("4\\d\\.\\d Ah");
        browser.script("document.getElementById('pack-analytics').scrollIntoView()");
        browser.screenshot("analytics-pack");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void thePackPageDrawsTheHourlyCellVoltageSpreadWithItsValuesInWords() {
        browser.open("#/" + PACK.node());
        browser.logIn(TestAccess.ACME_OPERATOR);
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.attributes("#spread-sparkline polyline.rest",
                "points").size() == 1);
        assertThat(browser.attributes("#spread-sparkline polyline.load", "points")).hasSize(1);
        assertThat(browser.attributes("#spread-sparkline", "aria-label")).singleElement().asString()
                .matches("cell-voltage spread per hour over \\d+ hours: now \\d+\\.\\d mV at rest, \\d+\\.\\d mV under load;"
                        + " highest \\d+\\.\\d mV");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void anotherTenantsOperatorSeesNoneOfThePacksAnalytics() {
        browser.open("#/" + PACK.node());
        browser.logIn(TestAccess.NORDVOLT_OPERATOR);
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.pageText().isEmpty());
        // Whatever the page shows for a path outside the tenant, no analytics of it.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                browser.attributes("#resistance-ranking tbody tr", "data-cell").isEmpty()
                        && !browser.pageText().contains("cells measured"));
    }

    private static String cell(final int index) {
        return PACK.child("cells", String.valueOf(index + 1)).node();
    }
}
