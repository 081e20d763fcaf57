package io.cellwatch.broker;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.extension.config.NodeRole;
import io.cellwatch.testing.kafka.KafkaTestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka outage longer than a minute: the ingest node keeps acknowledging every publish (its WAL holds the backlog),
 * its export lag grows as a metric and fails {@code /readyz} past {@code kafka.max-export-lag-seconds} (60 s); when
 * Kafka is back the export catches up, the node is ready again, and a serving node started afterwards stores every
 * sample once.
 */
@Timeout(300)
class KafkaOutageIT {

    private static final String SERIES = "tenants/acme/plants/outage/racks/r1/voltage";
    private static final int BEFORE = 20;
    private static final int OUTAGE_SECONDS = 65;

    @TempDir
    Path dir;

    @Test
    void anIngestNodeAcknowledgesThroughAnOutageOfOverAMinuteAndExportsItsBacklogAfterwards() throws Exception {
        final Closer closer = new Closer();
        try (KafkaTestBroker kafka = KafkaTestBroker.start(dir.resolve("kafka"))) {
            final CellwatchServer ingest = TestCluster.start(dir.resolve("ingest"), NodeRole.INGEST, "ingest-1",
                    kafka.bootstrapServers());
            closer.add(ingest);
            final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY + "-outage",
                    ingest.config().mqttPort(), TestAccess.ACME_GATEWAY);
            closer.add(gateway::disconnect);
            final HttpApi admin = new HttpApi(ingest.httpPort());
            int seq = 0;
            for (; seq < BEFORE; seq++) {
                assertThat(Gateways.publish(gateway, SERIES, sample(seq)).isError()).isFalse();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.metric("cellwatch_export_samples_total") >= BEFORE);

            kafka.kill();
            final long down = System.nanoTime();
            while (System.nanoTime() - down < Duration.ofSeconds(OUTAGE_SECONDS).toNanos()) {
                assertThat(Gateways.publish(gateway, SERIES, sample(seq)).isError()).as("PUBACK of seq %d", seq)
                        .isFalse();
                seq++;
                Thread.sleep(1_000);
            }
            final HttpResponse<String> unready = admin.get("/readyz");
            assertThat(unready.statusCode()).isEqualTo(503);
            assertThat(unready.body()).contains("export to Kafka more than 60 s behind");
            assertThat(admin.metric("cellwatch_export_lag_seconds")).isGreaterThan(60);

            kafka.restart();
            await().atMost(Duration.ofSeconds(90)).until(() -> admin.get("/readyz").statusCode() == 200);
            final int published = seq;
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.metric("cellwatch_export_samples_total")
                    >= published);

            final CellwatchServer serve = TestCluster.start(dir.resolve("serve"), NodeRole.SERVE, "serve-1",
                    kafka.bootstrapServers());
            closer.add(serve);
            final HttpApi operator = new HttpApi(serve.httpPort(), TestAccess.ACME_OPERATOR);
            // Generous: the serving node starts, joins its group and reads from the start on a machine the other
            // test JVMs keep busy (one full run took over a minute here); the count below must then be exact.
            await().atMost(Duration.ofSeconds(150)).until(() -> ScaleOutIT.storedCount(operator, SERIES) >= published);
            assertThat(ScaleOutIT.storedCount(operator, SERIES)).isEqualTo(published);
        } finally {
            closer.close();
        }
    }

    private static String sample(final int seq) {
        return "{\"v\":" + (3.0 + seq / 1000.0) + ",\"seq\":" + seq + "}";
    }
}
