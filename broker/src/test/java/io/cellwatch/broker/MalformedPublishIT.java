package io.cellwatch.broker;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every class of malformed telemetry is refused with an MQTT 5 reason code and counted by reason; the same
 * gateway's next well-formed publish still arrives, and nothing of the bad one is stored.
 */
@Timeout(60)
class MalformedPublishIT {

    private static final AtomicInteger CELL = new AtomicInteger();

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static HttpApi api;
    static Mqtt5BlockingClient gateway;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(dir);
        api = new HttpApi(server.httpPort());
        gateway = Gateways.connect("gw-bad", server.config().mqttPort());
    }

    @AfterAll
    static void stopServer() {
        gateway.disconnect();
        server.close();
    }

    @Test
    void nonNumericMetricIsRefusedAndCounted() throws Exception {
        assertRefused("not_a_number", Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, freshCell() + "/voltage", "high");
    }

    @Test
    void badJsonNodeIsRefusedAndCounted() throws Exception {
        assertRefused("bad_json", Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, freshCell(), "{\"voltage\":3.7,");
    }

    @Test
    void nanMetricIsRefusedAndCounted() throws Exception {
        assertRefused("non_finite", Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, freshCell() + "/voltage", "NaN");
    }

    @Test
    void infinityInANodeIsRefusedAndCounted() throws Exception {
        assertRefused("non_finite", Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, freshCell(),
                "{\"voltage\":3.7,\"temperature\":Infinity}");
    }

    @Test
    void oversizePayloadIsRefusedAndCounted() throws Exception {
        final byte[] payload = new byte[server.config().extension().maxPayloadBytes() + 1];
        Arrays.fill(payload, (byte) '1');
        assertRefused("oversize", Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, freshCell() + "/voltage", payload);
    }

    @Test
    void emptyTopicLevelIsRefusedAndCounted() throws Exception {
        assertRefused("empty_level", Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID,
                "tenants/bad/plants//racks/r1/voltage", "3.7");
    }

    @Test
    void lookalikeCharacterInTopicIsRefusedAndCounted() throws Exception {
        // Cyrillic 'а' in "plаnts".
        assertRefused("bad_topic", Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID,
                "tenants/bad/pl\u0430nts/p1/voltage", "3.7");
    }

    private static String freshCell() {
        return "tenants/bad/plants/p1/racks/r1/packs/k1/cells/" + CELL.incrementAndGet();
    }

    private static void assertRefused(final String reason, final Mqtt5PubAckReasonCode code, final String topic,
                                      final String payload) throws Exception {
        assertRefused(reason, code, topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(final String reason, final Mqtt5PubAckReasonCode code, final String topic,
                                      final byte[] payload) throws Exception {
        final String counter = "cellwatch_ingest_rejected_total{reason=\"" + reason + "\"}";
        final double before = api.metric(counter);

        assertThat(Gateways.publish(gateway, topic, payload)).isEqualTo(code);

        assertThat(api.metric(counter)).isEqualTo(before + 1);
        assertThat(api.treePaths()).doesNotContain(topic);
        final String good = freshCell() + "/voltage";
        assertThat(Gateways.publish(gateway, good, "3.9")).isIn(
                Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(api.latest(good)).isEqualTo(3.9));
    }
}
