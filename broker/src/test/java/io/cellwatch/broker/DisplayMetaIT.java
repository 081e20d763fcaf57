package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Units and names as data over HTTP ({@code GET /api/v1/metrics/meta}): the built-in table, a tenant's overrides
 * from the display file seen by that tenant only, a bad edit rejected with {@code file:line} while the last good
 * overrides stay, and a bad file at start stopping the server.
 */
@Timeout(120)
class DisplayMetaIT {

    private static final String META = "/api/v1/metrics/meta";

    @TempDir
    Path dir;
    CellwatchServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyTenantGetsTheBuiltInUnitsDecimalsAndLevelNames() throws Exception {
        start(null);
        final JsonNode meta = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR).getJson(META);
        assertThat(meta.path("tenant").asText()).isEqualTo("acme");
        assertThat(meta.at("/metrics/voltage/unit").asText()).isEqualTo("V");
        assertThat(meta.at("/metrics/voltage/decimals").asInt()).isEqualTo(3);
        assertThat(meta.at("/metrics/temperature/unit").asText()).isEqualTo("°C");
        assertThat(meta.at("/metrics/temperature/decimals").asInt()).isEqualTo(1);
        assertThat(meta.at("/metrics/soc/unit").asText()).isEqualTo("%");
        assertThat(meta.at("/metrics/soc/scale").asDouble()).isEqualTo(100.0);
        assertThat(meta.at("/metrics/current/unit").asText()).isEqualTo("A");
        assertThat(meta.at("/metrics/power/unit").asText()).isEqualTo("kW");
        assertThat(meta.at("/metrics/energy/unit").asText()).isEqualTo("kWh");
        assertThat(meta.at("/levels/packs").asText()).isEqualTo("Pack");
        assertThat(meta.at("/levels/plants").asText()).isEqualTo("Plant");
    }

    @Test
    void aTenantsOverrideNeverReachesTheOtherTenant() throws Exception {
        start("""
                tenant acme
                metric voltage unit mV scale 1000 decimals 0 label "Cell voltage"
                metric humidity unit "% RH" decimals 0 range 0..100
                level packs "Battery pack"
                """);
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
        final HttpApi admin = new HttpApi(server.httpPort());

        final JsonNode own = acme.getJson(META + "?path=tenants/acme/plants/p1");
        assertThat(own.at("/metrics/voltage/unit").asText()).isEqualTo("mV");
        assertThat(own.at("/metrics/voltage/scale").asDouble()).isEqualTo(1000.0);
        assertThat(own.at("/metrics/voltage/label").asText()).isEqualTo("Cell voltage");
        assertThat(own.at("/metrics/voltage/max").asDouble()).as("unset fields stay built in").isEqualTo(4.3);
        assertThat(own.at("/metrics/humidity/unit").asText()).isEqualTo("% RH");
        assertThat(own.at("/levels/packs").asText()).isEqualTo("Battery pack");

        for (final JsonNode other : new JsonNode[] {nordvolt.getJson(META), nordvolt.getJson(META
                + "?path=tenants/nordvolt"), admin.getJson(META + "?path=tenants/nordvolt"), admin.getJson(META)}) {
            assertThat(other.at("/metrics/voltage/unit").asText()).isEqualTo("V");
            assertThat(other.toString()).doesNotContain("mV", "humidity", "Battery pack", "acme");
        }
        assertThat(nordvolt.get(META + "?path=tenants/acme").statusCode()).isEqualTo(403);
        assertThat(nordvolt.get(META + "?path=tenants/acme").body()).doesNotContain("mV");
        assertThat(admin.getJson(META + "?path=tenants/acme").at("/metrics/voltage/unit").asText()).isEqualTo("mV");
    }

    @Test
    void aBadEditIsRejectedWithFileAndLineAndTheLastGoodOverridesStay() throws Exception {
        final Path file = start("""
                tenant acme
                metric voltage unit mV scale 1000
                """);
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final HttpApi admin = new HttpApi(server.httpPort());

        Files.writeString(file, """
                tenant acme
                metric voltage unit kV scale 0.001
                metric soc decimals nine
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getJson(META).has("problem"));
        assertThat(admin.getJson(META).path("problem").asText())
                .contains(file + ":3: field decimals: 'nine' must be a whole number from 0 to 6");
        assertThat(acme.getJson(META).has("problem")).as("only global admins see the file's problems").isFalse();
        assertThat(acme.getJson(META).at("/metrics/voltage/unit").asText()).isEqualTo("mV");
        assertThat(admin.metric("cellwatch_display_reloads_rejected_total")).isEqualTo(1.0);

        // A good edit applies and the problem is gone.
        Files.writeString(file, """
                tenant acme
                metric voltage unit kV scale 0.001
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> acme.getJson(META).at("/metrics/voltage/unit").asText()
                .equals("kV"));
        assertThat(admin.getJson(META).has("problem")).isFalse();
    }

    @Test
    void aFileOverItsSizeBoundIsRejectedAndTheLastGoodOverridesStay() throws Exception {
        final Path file = start("""
                tenant acme
                metric voltage unit mV scale 1000
                """);
        final HttpApi admin = new HttpApi(server.httpPort());
        Files.writeString(file, "tenant acme\n" + "# padding\n".repeat(30_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getJson(META).has("problem"));
        assertThat(admin.getJson(META).path("problem").asText()).contains(file + ": file is larger than 262144 bytes");
        assertThat(admin.getJson(META + "?path=tenants/acme").at("/metrics/voltage/unit").asText()).isEqualTo("mV");
    }

    @Test
    void aBadDisplayFileAtStartStopsTheServerNamingTheLine() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final Path file = dir.resolve("conf").resolve("display.conf");
        Files.writeString(file, "tenant acme\n\nmetric voltage range 4.3..2.5\n");
        final CellwatchServer broken = new CellwatchServer(config);
        assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + ":3: field range: the minimum 4.3 must be below the maximum 2.5");
        broken.close();
    }

    /** Starts a server with {@code display} as its display file (none if null); returns the file's path. */
    private Path start(final String display) throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final Path file = dir.resolve("conf").resolve("display.conf");
        if (display != null) {
            Files.writeString(file, display);
        }
        server = new CellwatchServer(config);
        server.start();
        return file;
    }
}
