package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.cellwatch.contract.TopicBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway's health report ({@code …/plants/{p}/gateways/{clientId}/status/health}, retained JSON) reaches the
 * server: {@code GET /api/v1/gateways}, the live {@code gateways} frames and the broker's retained
 * {@code tenants/{t}/gateways/{id}/status} carry it as {@code health}. Only the gateway itself reports its health,
 * only its tenant sees it, and a report over the size bound is refused with a reason.
 */
@Timeout(90)
class GatewayHealthReportIT {

    private static final String GW = TestAccess.ACME_GATEWAY;
    private static final String PLANT_GATEWAYS = "tenants/acme/plants/p1/gateways/";
    /** A series name no other test data contains, to look for in what another tenant sees. */
    private static final String MISSING = "racks/r7/packs/k3/cells/9/voltage";
    private static final String DEGRADED = """
            {"state":"degraded","sources":[{"name":"bms","state":"degraded","detail":"1 of 3 requests failing",\
            "problems":[{"request":"unit 1 holding 1+16 (lines 2-17)","error":"Illegal Data Address (exception 2)",\
            "failures":3,"missing":2,"series":["%s","racks/r7/packs/k3/cells/10/voltage"]}]}]}""".formatted(MISSING);

    @TempDir
    Path dir;

    private CellwatchServer server;
    private final Closer closeLater = new Closer();

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        closeLater.close();
        server.close();
    }

    @Test
    void aGatewaysHealthShowsInTheApiTheLiveViewAndTheRetainedStatus() throws Exception {
        final HttpApi operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final LiveClient live = new LiveClient(server.httpPort(), TestAccess.ACME_OPERATOR);
        closeLater.add(live);
        live.watchGateways();
        assertThat(live.next(5).path("type").asText()).isEqualTo("gateways");
        final Mqtt5BlockingClient gateway = gateway(GW);
        await().atMost(Duration.ofSeconds(5)).until(() -> state(operator, GW) != null);

        assertThat(publish(gateway, PLANT_GATEWAYS + GW + "/status/health", DEGRADED).getReasonCode().isError())
                .isFalse();

        await().atMost(Duration.ofSeconds(5)).until(() -> state(operator, GW).has("health"));
        final JsonNode health = state(operator, GW).path("health");
        assertThat(health.path("state").asText()).isEqualTo("degraded");
        final JsonNode problem = health.path("sources").path(0).path("problems").path(0);
        assertThat(problem.path("request").asText()).isEqualTo("unit 1 holding 1+16 (lines 2-17)");
        assertThat(problem.path("missing").asInt()).isEqualTo(2);
        assertThat(problem.path("series").path(0).asText()).isEqualTo(MISSING);
        // The live view gets the change as a frame...
        JsonNode frame = live.next(5);
        while (frame.path("type").asText().equals("gateway") && !frame.path("gateway").has("health")) {
            frame = live.next(5);
        }
        assertThat(frame.path("gateway").path("health").path("state").asText()).isEqualTo("degraded");
        // ...and the broker's retained status of the gateway carries it for a late subscriber.
        final BlockingQueue<JsonNode> status = JsonTopic.subscribe(server.mqttPort(), TestAccess.ACME_OPERATOR,
                TopicBuilder.gatewayStatus("acme", GW), closeLater::add);
        final JsonNode retained = status.poll(5, TimeUnit.SECONDS);
        assertThat(retained).isNotNull();
        assertThat(retained.path("state").asText()).isEqualTo("online");
        assertThat(retained.path("health").path("sources").path(0).path("problems").path(0).path("missing").asInt())
                .isEqualTo(2);
    }

    @Test
    void anotherTenantsOperatorNeverSeesTheHealth() throws Exception {
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
        gateway(TestAccess.NORDVOLT_GATEWAY);
        final Mqtt5BlockingClient gateway = gateway(GW);
        publish(gateway, PLANT_GATEWAYS + GW + "/status/health", DEGRADED);
        await().atMost(Duration.ofSeconds(5)).until(() -> state(acme, GW) != null && state(acme, GW).has("health"));

        final String seen = nordvolt.get("/api/v1/gateways").body();

        assertThat(seen).contains(TestAccess.NORDVOLT_GATEWAY).doesNotContain(GW).doesNotContain(MISSING);
    }

    @Test
    void refusesHealthReportedUnderAnotherClientIdOrTenant() throws Exception {
        final HttpApi admin = new HttpApi(server.httpPort());
        final Mqtt5BlockingClient gateway = gateway(GW);
        final Mqtt5BlockingClient other = gateway(GW + "-b");

        assertThat(publish(gateway, PLANT_GATEWAYS + GW + "-b/status/health", DEGRADED).getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(publish(gateway, "tenants/nordvolt/plants/p1/gateways/" + GW + "/status/health", DEGRADED)
                .getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);

        // The refused report changed nothing: the other gateway's own report is still the only word on it.
        assertThat(publish(other, PLANT_GATEWAYS + GW + "-b/status/health",
                "{\"state\":\"ok\",\"sources\":[]}").getReasonCode().isError()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> state(admin, GW + "-b").has("health"));
        assertThat(state(admin, GW + "-b").path("health").path("state").asText()).isEqualTo("ok");
        assertThat(state(admin, GW).has("health")).isFalse();
        assertThat(admin.metric("cellwatch_gateway_health_reports_total{outcome=\"foreign_client_id\"}"))
                .isEqualTo(1.0);
    }

    @Test
    void refusesAnOversizedHealthReportWithAReason() throws Exception {
        final HttpApi admin = new HttpApi(server.httpPort());
        final Mqtt5BlockingClient gateway = gateway(GW);
        final String detail = "x".repeat(20_000);

        final Mqtt5PubAck ack = publish(gateway, PLANT_GATEWAYS + GW + "/status/health",
                "{\"state\":\"failing\",\"sources\":[{\"name\":\"bms\",\"state\":\"failing\",\"detail\":\"" + detail
                        + "\",\"problems\":[]}]}");

        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.getReasonString()).map(Object::toString).hasValueSatisfying(reason ->
                assertThat(reason).contains("health report", "16384"));
        assertThat(admin.metric("cellwatch_gateway_health_reports_total{outcome=\"oversize\"}")).isEqualTo(1.0);
        assertThat(state(admin, GW).has("health")).isFalse();
    }

    @Test
    void refusesAHealthReportThatIsNotTheContractsJson() throws Exception {
        final Mqtt5BlockingClient gateway = gateway(GW);

        final Mqtt5PubAck ack = publish(gateway, PLANT_GATEWAYS + GW + "/status/health", "degraded");

        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.getReasonString()).map(Object::toString).hasValueSatisfying(reason ->
                assertThat(reason).contains("health report"));
    }

    private Mqtt5BlockingClient gateway(final String clientId) {
        final String user = clientId.startsWith(TestAccess.NORDVOLT_GATEWAY) ? TestAccess.NORDVOLT_GATEWAY : GW;
        final Mqtt5BlockingClient client = Gateways.connect(clientId, server.mqttPort(), user);
        closeLater.add(client::disconnect);
        return client;
    }

    /** A retained QoS 1 publish, as a gateway sends its health; the broker's PUBACK. */
    private static Mqtt5PubAck publish(final Mqtt5BlockingClient client, final String topic, final String payload) {
        try {
            final Mqtt5PublishResult result = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
            if (result.getError().isPresent() && result.getError().get() instanceof Mqtt5PubAckException e) {
                return e.getMqttMessage();
            }
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck();
        } catch (final Mqtt5PubAckException e) {
            return e.getMqttMessage();
        }
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
}
