package io.cellwatch.broker;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An open dashboard page across a server restart: it reconnects, asks for a new login and resumes, never reloaded. */
@Timeout(180)
class DashboardRestartIT {

    static final String PACK = "tenants/acme/plants/pa1/racks/r1/packs/k1";

    @TempDir
    Path dir;
    @TempDir
    Path profile;

    @Test
    void pageResumesLiveUpdatesAfterAServerRestartWithoutAReload() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        CellwatchServer server = new CellwatchServer(config);
        server.start();
        try (Browser browser = new Browser(config.extension().httpPort(), profile)) {
            Mqtt5BlockingClient gateway = Gateways.connect("gw-acme-1", config.mqttPort(), TestAccess.ACME_GATEWAY);
            DashboardIT.publish(gateway, PACK + "/cells/1", "{\"voltage\":3.601}");
            browser.open("#/" + PACK + "?metric=voltage");
            browser.logIn(TestAccess.ACME_OPERATOR);
            awaitCell(browser, "3.601");
            browser.script("window.notReloaded = true");

            gateway.disconnect();
            server.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !browser.text(By.id("conn")).equals("live"));
            server = new CellwatchServer(config);
            server.start();

            // Logins live in memory: the page notices the session is gone and asks again, keeping its view.
            browser.logIn(TestAccess.ACME_OPERATOR);
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(By.id("conn")).equals("live"));
            gateway = Gateways.connect("gw-acme-1", config.mqttPort(), TestAccess.ACME_GATEWAY);
            DashboardIT.publish(gateway, PACK + "/cells/1", "{\"voltage\":3.702}");
            awaitCell(browser, "3.702");
            assertThat(browser.script("return window.notReloaded === true")).isEqualTo(true);
            assertThat(browser.driver().getCurrentUrl()).endsWith("#/" + PACK + "?metric=voltage");
            gateway.disconnect();
        } finally {
            server.close();
        }
    }

    private static void awaitCell(final Browser browser, final String value) {
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.text(By.cssSelector(
                "#cell-grid [data-path='" + PACK + "/cells/1'] .value")).equals(value));
    }
}
