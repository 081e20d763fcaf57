package io.cellwatch.broker.edge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewaySources;
import io.cellwatch.edge.source.SourceHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sensors publish to a real plant-local mosquitto (TLS, password file); the gateway subscribes there, maps the
 * messages with its rules and publishes them into a real embedded cellwatch through its disk buffer.
 */
@Timeout(180)
class LocalMqttToCellwatchIT {

    private static final String SENSORS = "tenants/acme/plants/p1/sensors/";

    @TempDir
    Path dir;

    @Test
    void sensorMessagesAreMappedByIdFromPayloadOrTopicWithTheirTimeOrGatewayTimeAndStoredOnce() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final long lastSeq;
        final long sensorTime = System.currentTimeMillis() / 1000 * 1000 - 5000;
        final long before;
        final long after;
        try (LocalMosquitto plantBroker = new LocalMosquitto(dir.resolve("mosquitto"),
                "gateway", "gw-secret", "sensor", "sensor-secret");
             CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            final Path conf = GatewayFiles.write(dir, serverConfig.mqttPort(), """
                    [source sensors]
                    type = mqtt
                    url = ssl://127.0.0.1:%d
                    username = gateway
                    password = gw-secret
                    trust-store = %s
                    trust-store-password = %s
                    rule.env.filter = sensors/+/data
                    rule.env.path = sensors/{id}
                    rule.env.id = payload.sensor_id | topic.2
                    rule.env.ts = timestamp
                    rule.meter.filter = plant/meters/#
                    rule.meter.path = meters/{id}
                    rule.meter.id = topic.3
                    rule.meter.metrics = power
                    """.formatted(plantBroker.port(), plantBroker.trustStore(), LocalMosquitto.TRUST_PASSWORD));
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(),
                    GatewaySources.all())) {
                gateway.start();
                final SourceHealth[] health = new SourceHealth[1];
                await().atMost(Duration.ofSeconds(30)).until(() -> (health[0] = gateway.sources().get(0).health()).up());

                final Mqtt3BlockingClient sensor = sensorClient(plantBroker);
                publish(sensor, "sensors/dev-a/data", """
                        {"sensor_id":"TEMP-01","temperature":42.5,"humidity":31,"timestamp":%d}""".formatted(sensorTime));
                publish(sensor, "sensors/TEMP-02/data", """
                        {"temperature":21.25,"timestamp":%d}""".formatted(sensorTime));
                before = System.currentTimeMillis();
                publish(sensor, "sensors/dev-c/data", """
                        {"sensor_id":"TEMP-03","temperature":30.5,"timestamp":1000}""");
                publish(sensor, "plant/meters/m7", """
                        {"power":11.5,"voltage":400,"note":"text is no metric"}""");
                publish(sensor, "sensors/dev-d/data", "not json");
                publish(sensor, "sensors/dev-e/data", """
                        {"sensor_id":"TEMP-05","status":"ok"}""");
                sensor.disconnect();

                await().atMost(Duration.ofSeconds(30)).until(() -> api.latest(SENSORS + "TEMP-03/temperature") != null
                        && api.latest("tenants/acme/plants/p1/meters/m7/power") != null
                        && gateway.sources().get(0).health().counters().get("dropped-no-metric") == 1);
                after = System.currentTimeMillis();
                assertThat(api.latest(SENSORS + "TEMP-01/temperature")).isEqualTo(42.5);
                assertThat(api.latest(SENSORS + "TEMP-01/humidity")).isEqualTo(31.0);
                assertThat(api.latest(SENSORS + "TEMP-02/temperature")).isEqualTo(21.25);
                assertThat(api.latest(SENSORS + "TEMP-03/temperature")).isEqualTo(30.5);
                assertThat(api.latest("tenants/acme/plants/p1/meters/m7/power")).isEqualTo(11.5);
                assertThat(api.latest("tenants/acme/plants/p1/meters/m7/voltage")).isNull();
                assertThat(api.treePaths()).noneMatch(p -> p.contains("sensor_id") || p.contains("timestamp")
                        || p.contains("dev-a"));

                final var counters = gateway.sources().get(0).health().counters();
                assertThat(counters).containsEntry("messages", 6L).containsEntry("mapped", 4L)
                        .containsEntry("dropped-not-json", 1L).containsEntry("dropped-no-metric", 1L)
                        .containsEntry("ts-replaced", 2L);
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.buffer().depth() == 0);
                assertThat(gateway.health()).contains("source sensors ok messages=6 mapped=4");
                lastSeq = gateway.buffer().lastSeq();
            }
        }
        assertThat(GatewayHistory.times(serverConfig, SENSORS + "TEMP-01/temperature")).containsExactly(sensorTime);
        assertThat(GatewayHistory.times(serverConfig, SENSORS + "TEMP-02/temperature")).containsExactly(sensorTime);
        // 1970 is not a plausible sensor time: the gateway's time when the message came in.
        assertThat(GatewayHistory.times(serverConfig, SENSORS + "TEMP-03/temperature")).singleElement()
                .satisfies(ts -> assertThat(ts).isBetween(before, after));
        assertThat(lastSeq).isEqualTo(3);
        GatewayHistory.assertEveryRecordOnce(serverConfig, lastSeq);
    }

    private static void publish(final Mqtt3BlockingClient sensor, final String topic, final String payload) {
        sensor.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static Mqtt3BlockingClient sensorClient(final LocalMosquitto broker) throws Exception {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(broker.trustStore())) {
            store.load(in, LocalMosquitto.TRUST_PASSWORD.toCharArray());
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier("sensor-1")
                .serverHost("127.0.0.1").serverPort(broker.port())
                .sslConfig(MqttClientSslConfig.builder().trustManagerFactory(trust).build())
                .simpleAuth().username("sensor").password("sensor-secret".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        client.connect();
        return client;
    }
}
