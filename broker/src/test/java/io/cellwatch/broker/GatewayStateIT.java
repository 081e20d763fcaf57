package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.config.FleetSettings;
import io.cellwatch.extension.storage.SampleStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gateway state through the real broker: online on connect, offline when its connection is cut without DISCONNECT
 * (half-open: keep-alive expiry; closed socket: at once), stale when connected but silent, online again on reconnect
 * or data — over REST, the live WebSocket and the retained status topic, and stored in history.
 */
@Timeout(90)
class GatewayStateIT {

    private static final String GW = TestAccess.ACME_GATEWAY;
    private static final String STATUS_TOPIC = TopicBuilder.gatewayStatus("acme", GW);

    @TempDir
    Path dir;

    private CellwatchServer server;
    private final Closer closeLater = new Closer();

    @AfterEach
    void stop() throws Exception {
        closeLater.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void gatewayCutWithoutDisconnectIsOfflineEverywhereThenOnlineAgainOnReconnect() throws Exception {
        start(new FleetSettings(30_000));
        final HttpApi operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final BlockingQueue<JsonNode> topic = statusTopic(TestAccess.ACME_OPERATOR);
        final LiveClient live = live(TestAccess.ACME_OPERATOR);
        assertThat(live.next(5).path("type").asText()).isEqualTo("gateways");

        // Half-open: the gateway says nothing after CONNECT, as if its link died without a FIN.
        final RawMqtt5Connection halfOpen = RawMqtt5Connection.open(server.mqttPort(), GW, GW, 1);
        closeLater.add(halfOpen);
        final JsonNode connected = assertChange(live, topic, "online", "connect");
        // The broker gives up 1.5 keep-alives after the last packet (the CONNECT); offline must show within that
        // + 1 s. Timed on the server's clock (the states' "since"), read over REST as soon as it shows.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> state(operator, GW), s -> s != null && s.path("state").asText().equals("offline"));
        final JsonNode offline = assertChange(live, topic, "offline", "server");
        assertThat(offline.path("since").asLong() - connected.path("since").asLong()).isLessThanOrEqualTo(2_500L);

        // Reconnect: online again; then the socket closes without DISCONNECT: offline at once, will cause.
        final RawMqtt5Connection cut = RawMqtt5Connection.open(server.mqttPort(), GW, GW, 60);
        assertChange(live, topic, "online", "connect");
        assertThat(state(operator, GW).path("state").asText()).isEqualTo("online");
        final long cutAt = System.currentTimeMillis();
        cut.close();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> state(operator, GW).path("state").asText(), "offline"::equals);
        final JsonNode lost = assertChange(live, topic, "offline", "will");
        assertThat(lost.path("since").asLong() - cutAt).isLessThanOrEqualTo(1_000L);

        // The status topic is retained: a client subscribing now gets the current state.
        final BlockingQueue<JsonNode> late = statusTopic(TestAccess.ADMIN);
        final JsonNode retained = late.poll(5, TimeUnit.SECONDS);
        assertThat(retained).isNotNull();
        assertThat(retained.path("state").asText()).isEqualTo("offline");
        assertThat(retained.path("cause").asText()).isEqualTo("will");

        // A clean DISCONNECT says so.
        final Mqtt5BlockingClient clean = Gateways.connect(GW, server.mqttPort(), GW);
        assertChange(live, topic, "online", "connect");
        clean.disconnect();
        assertChange(live, topic, "offline", "disconnect");

        closeAll();
        assertThat(historyEvents()).containsExactly(
                "acme gw-acme-1 online connect", "acme gw-acme-1 offline server",
                "acme gw-acme-1 online connect", "acme gw-acme-1 offline will",
                "acme gw-acme-1 online connect", "acme gw-acme-1 offline disconnect");
    }

    @Test
    void connectedButSilentGatewayGoesStaleAndIsOnlineAgainOnItsNextPublish() throws Exception {
        start(new FleetSettings(1_500));
        final HttpApi operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final BlockingQueue<JsonNode> topic = statusTopic(TestAccess.ACME_OPERATOR);
        final LiveClient live = live(TestAccess.ACME_OPERATOR);
        live.next(5);

        final Mqtt5BlockingClient gateway = Gateways.connect(GW, server.mqttPort(), GW);
        closeLater.add(gateway::disconnect);
        assertChange(live, topic, "online", "connect");
        final String cell = TopicBuilder.tenant("acme").child("plants", "p1").child("cells", "1").metric("voltage");
        Gateways.publish(gateway, cell, "3.3");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> state(operator, GW).path("state").asText(), "stale"::equals);
        assertThat(state(operator, GW).path("cause").asText()).isEqualTo("timeout");
        final JsonNode stale = assertChange(live, topic, "stale", "timeout");
        // Timed on the server's clock: silent since the publish, stale within the timeout + 1 s.
        assertThat(stale.path("since").asLong() - stale.path("lastSeen").asLong()).isBetween(1_500L, 2_500L);

        // Nobody but the broker writes the status topic, not even the gateway itself (and it is no publish).
        assertThat(Gateways.publish(gateway, STATUS_TOPIC, "{\"state\":\"online\"}"))
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(state(operator, GW).path("state").asText()).isEqualTo("stale");

        Gateways.publish(gateway, cell, "3.31");
        assertChange(live, topic, "online", "data");
        assertThat(state(operator, GW).path("state").asText()).isEqualTo("online");
    }

    @Test
    void withTheDefaultTimeoutASilentGatewayGoesStaleAtFifteenSeconds() throws Exception {
        start(FleetSettings.defaults());
        final HttpApi operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final Mqtt5BlockingClient gateway = Gateways.connect(GW, server.mqttPort(), GW);
        closeLater.add(gateway::disconnect);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> state(operator, GW), s -> s != null && s.path("state").asText().equals("online"));

        // Measured on the server's clock (since vs. lastSeen), so a slow test client cannot blur it: stale at 15 s,
        // checked every second, so before 16 s (plus scheduling slack on a loaded machine).
        await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200))
                .until(() -> state(operator, GW).path("state").asText(), "stale"::equals);
        final JsonNode stale = state(operator, GW);
        assertThat(stale.path("cause").asText()).isEqualTo("timeout");
        assertThat(stale.path("since").asLong() - stale.path("lastSeen").asLong()).isBetween(15_000L, 17_000L);
    }

    private void start(final FleetSettings fleet) throws Exception {
        final ServerConfig config = TestServers.config(dir);
        server = new CellwatchServer(config.withExtension(config.extension().withFleet(fleet)));
        server.start();
    }

    private LiveClient live(final String user) throws Exception {
        final LiveClient live = new LiveClient(server.httpPort(), user);
        closeLater.add(live);
        live.watchGateways();
        return live;
    }

    /** Every message on the acme gateway status topics, as JSON, for {@code user}. */
    private BlockingQueue<JsonNode> statusTopic(final String user) {
        return JsonTopic.subscribe(server.mqttPort(), user, "tenants/acme/gateways/+/status", closeLater::add);
    }

    /**
     * The next change seen over the live socket and the status topic are both {@code state} for {@code cause};
     * returns the live frame's gateway.
     */
    private static JsonNode assertChange(final LiveClient live, final BlockingQueue<JsonNode> topic, final String state,
                                     final String cause) throws InterruptedException {
        final JsonNode frame = live.next(5);
        assertThat(frame.path("type").asText()).isEqualTo("gateway");
        assertThat(frame.path("gateway").path("gateway").asText()).isEqualTo(GW);
        assertThat(frame.path("gateway").path("tenant").asText()).isEqualTo("acme");
        assertThat(frame.path("gateway").path("state").asText() + " " + frame.path("gateway").path("cause").asText())
                .isEqualTo(state + " " + cause);
        final JsonNode message = topic.poll(5, TimeUnit.SECONDS);
        assertThat(message).as("status topic message").isNotNull();
        assertThat(message.path("gateway").asText()).isEqualTo(GW);
        assertThat(message.path("state").asText() + " " + message.path("cause").asText())
                .isEqualTo(state + " " + cause);
        assertThat(message.path("since").asLong()).isEqualTo(frame.path("gateway").path("since").asLong());
        return frame.path("gateway");
    }

    /** The gateway's entry in {@code GET /api/v1/gateways}, or null. */
    private static JsonNode state(final HttpApi api, final String clientId) throws Exception {
        for (final JsonNode gateway : api.getJson("/api/v1/gateways").path("gateways")) {
            if (gateway.path("gateway").asText().equals(clientId)) {
                return gateway;
            }
        }
        return null;
    }

    private void closeAll() throws Exception {
        closeLater.close();
        server.close();
        server = null;
    }

    private List<String> historyEvents() throws Exception {
        final Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        final List<String> events = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"
                + dir.resolve("data").resolve(SampleStore.DATABASE_FILE).toAbsolutePath(), readOnly);
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT g.tenant, g.client_id, e.state, e.cause"
                     + " FROM gateway_events e JOIN gateways g ON g.id = e.gateway_id ORDER BY e.rowid")) {
            while (rows.next()) {
                events.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " "
                        + rows.getString(4));
            }
        }
        return events;
    }
}
