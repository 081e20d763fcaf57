package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two attacks through shared client ids and retained messages, made with the real {@code mosquitto_pub}: another
 * user's huge {@code seq} under a gateway's client id must not make the gateway's next samples look like retries,
 * and {@code mosquitto_pub -r -n} clears a retained telemetry value — for its tenant only. Needs
 * {@code mosquitto-clients}.
 */
@Timeout(120)
class RetryGuardAndRetainedIT {

    private static final String ACME_VOLTAGE = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1/voltage";
    private static final String NORDVOLT_VOLTAGE = "tenants/nordvolt/plants/p1/racks/r1/packs/k1/cells/1/voltage";

    @TempDir
    Path dir;
    CellwatchServer server;
    HttpApi admin;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(dir);
        admin = new HttpApi(server.httpPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anotherUserCannotSendAHugeSeqUnderTheGatewaysIdWhileItIsOffline() throws Exception {
        publishAsAcmeGateway("{\"v\":3.60,\"seq\":5}");

        // A gateway's own id is its namespace: nobody else connects under it, also after its clean session ended.
        final Result intruder = mosquittoPub(TestAccess.NORDVOLT_GATEWAY, "-i", TestAccess.ACME_GATEWAY, "-q", "1",
                "-t", NORDVOLT_VOLTAGE, "-m", "{\"v\":1.0,\"seq\":999999999}");
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .untilAsserted(() -> publishAsAcmeGateway("{\"v\":3.65,\"seq\":6}"));

        assertThat(intruder.output()).containsIgnoringCase("identifier rejected");
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(admin.latest(ACME_VOLTAGE))
                .isEqualTo(3.65));
        assertThat(admin.latest(NORDVOLT_VOLTAGE)).isNull();
        assertThat(admin.metric("cellwatch_ingest_duplicates_dropped_total")).isZero();
    }

    @Test
    void anotherUserCannotEvenConnectUnderTheGatewaysIdWhileItIsOnline() throws Exception {
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        assertThat(Gateways.publish(gateway, ACME_VOLTAGE, "{\"v\":3.60,\"seq\":5}").isError()).isFalse();

        final Result intruder = mosquittoPub(TestAccess.NORDVOLT_GATEWAY, "-i", TestAccess.ACME_GATEWAY, "-q", "1",
                "-t", NORDVOLT_VOLTAGE, "-m", "{\"v\":1.0,\"seq\":999999999}");
        assertThat(Gateways.publish(gateway, ACME_VOLTAGE, "{\"v\":3.66,\"seq\":6}").isError()).isFalse();

        assertThat(intruder.exit()).as(intruder.output()).isNotZero();
        assertThat(intruder.output()).containsIgnoringCase("identifier rejected");
        assertThat(admin.latest(ACME_VOLTAGE)).isEqualTo(3.66);
        assertThat(admin.metric("cellwatch_ingest_duplicates_dropped_total")).isZero();
        assertThat(admin.metric("cellwatch_mqtt_clientid_refused_total{reason=\"pattern\"}")).isEqualTo(1.0);
        gateway.disconnect();
    }

    @Test
    void seqAndTsAsMqtt5UserPropertiesAreHonoured() throws Exception {
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        for (final String value : new String[] {"3.61", "3.99"}) {
            gateway.publishWith().topic(ACME_VOLTAGE).qos(MqttQos.AT_LEAST_ONCE)
                    .userProperties().add("seq", "5").add("ts", "2026-12-01T10:00:00Z").applyUserProperties()
                    .payload(value.getBytes(StandardCharsets.UTF_8)).send();
        }
        gateway.disconnect();

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(admin.metric("cellwatch_ingest_duplicates_dropped_total")).isEqualTo(1.0));
        assertThat(admin.latest(ACME_VOLTAGE)).isEqualTo(3.61);
        assertThat(admin.snapshot(ACME_VOLTAGE).path("samples").get(0).path("ts").asLong())
                .isEqualTo(java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
    }

    @Test
    void anEmptyRetainedPublishClearsTheRetainedValueForNewSubscribers() throws Exception {
        retain(ACME_VOLTAGE, "3.7");
        assertThat(retainedFor(TestAccess.ACME_OPERATOR, ACME_VOLTAGE)).contains("3.7");

        final Result cleared = mosquittoPub(TestAccess.ACME_GATEWAY, "-r", "-n", "-q", "1", "-t", ACME_VOLTAGE);

        assertThat(cleared.exit()).as(cleared.output()).isZero();
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(retainedFor(TestAccess.ACME_OPERATOR, ACME_VOLTAGE)).isEmpty());
        assertThat(admin.metric("cellwatch_ingest_retained_cleared_total")).isEqualTo(1.0);
        assertThat(admin.metric("cellwatch_ingest_rejected_total{reason=\"empty_payload\"}")).isZero();
        assertThat(admin.latest(ACME_VOLTAGE)).as("clearing is not a sample").isEqualTo(3.7);
    }

    @Test
    void anotherTenantCannotClearARetainedValue() throws Exception {
        retain(ACME_VOLTAGE, "3.7");

        mosquittoPub(TestAccess.NORDVOLT_GATEWAY, "-r", "-n", "-q", "1", "-t", ACME_VOLTAGE);

        assertThat(retainedFor(TestAccess.ACME_OPERATOR, ACME_VOLTAGE)).contains("3.7");
        assertThat(admin.metric("cellwatch_ingest_retained_cleared_total")).isZero();
    }

    private void retain(final String topic, final String value) {
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        gateway.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(value.getBytes(StandardCharsets.UTF_8)).send();
        gateway.disconnect();
    }

    /** What a new subscriber of {@code user} receives as retained on {@code topic} within half a second. */
    private Optional<String> retainedFor(final String user, final String topic) throws InterruptedException {
        final Mqtt5BlockingClient subscriber = Gateways.connect(user + "-retained-probe", server.mqttPort(), user);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            final Optional<Mqtt5Publish> retained = publishes.receive(500, TimeUnit.MILLISECONDS);
            return retained.map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
        } finally {
            subscriber.disconnect();
        }
    }

    private void publishAsAcmeGateway(final String payload) {
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        assertThat(Gateways.publish(gateway, ACME_VOLTAGE, payload).isError()).isFalse();
        gateway.disconnect();
    }

    private record Result(int exit, String output) {
    }

    private Result mosquittoPub(final String user, final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(server.mqttPort()), "-u", user, "-P", TestAccess.password(user)));
        if (!List.of(args).contains("-i")) {
            // mosquitto_pub's own default id (mosq-…) lies outside every user's client id namespace.
            command.addAll(List.of("-i", user + "-pub"));
        }
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }
}
