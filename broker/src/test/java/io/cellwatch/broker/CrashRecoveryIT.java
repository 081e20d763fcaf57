package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.cellwatch.extension.storage.SampleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.BitSet;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server is SIGKILLed in the middle of a QoS 1 stream and restarted; the gateway re-sends everything it has no
 * PUBACK for, as a real gateway does. DuckDB then holds every sample exactly once: nothing acknowledged is lost and
 * nothing retried is stored twice.
 */
@Timeout(600)
class CrashRecoveryIT {

    private static final int SAMPLES = 200_000;
    private static final int KILL_AFTER_ACKS = 70_000;
    private static final int SERIES = 96;
    private static final int IN_FLIGHT = 500;
    private static final String GATEWAY = "gw-crash";

    @TempDir
    Path workDir;

    private final BitSet acked = new BitSet(SAMPLES);
    private int mqttPort;
    private int httpPort;

    @Test
    void everyAcknowledgedSampleIsStoredExactlyOnceAcrossAKillAndRetries() throws Exception {
        mqttPort = TestServers.freePort();
        httpPort = TestServers.freePort();

        final ServerProcess first = start();
        final int ackedBeforeKill;
        final Mqtt5AsyncClient gateway = connect();
        try {
            final Thread publisher = new Thread(() -> publishAllUnacked(gateway), "publisher");
            publisher.start();
            await().atMost(Duration.ofMinutes(3)).until(() -> ackedCount() >= KILL_AFTER_ACKS);
            first.kill();
            ackedBeforeKill = ackedCount();
            publisher.join(TimeUnit.MINUTES.toMillis(2));
        } finally {
            gateway.disconnect();
        }
        assertThat(ackedBeforeKill).as("killed mid-stream").isLessThan(SAMPLES);

        try (ServerProcess second = start()) {
            final int unacked = SAMPLES - ackedBeforeKill;
            final Mqtt5AsyncClient retrying = connect();
            publishAllUnacked(retrying);
            retrying.disconnect().get(10, TimeUnit.SECONDS);
            assertThat(ackedCount()).isEqualTo(SAMPLES);
            final double retriesDropped = new HttpApi(httpPort).metric("cellwatch_ingest_duplicates_dropped_total");
            System.out.printf("crash test: %d of %d acknowledged before SIGKILL; %d re-sent; %.0f of those were "
                    + "already stored and dropped as retries%n", ackedBeforeKill, SAMPLES, unacked, retriesDropped);
            // SIGTERM below drains the WAL into DuckDB before the process exits.
        }

        try (Connection db = openHistoryReadOnly(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("""
                     SELECT count(*), count(DISTINCT s.seq), sum(s.seq), sum(s.value)
                     FROM samples s JOIN gateways g ON g.id = s.gateway_id
                     WHERE g.client_id = '%s'""".formatted(GATEWAY))) {
            rs.next();
            final long n = SAMPLES;
            assertThat(rs.getLong(1)).as("rows").isEqualTo(n);
            assertThat(rs.getLong(2)).as("distinct seq").isEqualTo(n);
            assertThat(rs.getLong(3)).as("sum of seq").isEqualTo(n * (n - 1) / 2);
            assertThat(rs.getDouble(4)).as("checksum of values").isEqualTo(expectedValueSum(), within());
        }
    }

    private ServerProcess start() throws Exception {
        return ServerProcess.start(workDir, "--mqtt-port", Integer.toString(mqttPort),
                "--http-port", Integer.toString(httpPort));
    }

    private Mqtt5AsyncClient connect() throws Exception {
        final Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(GATEWAY)
                .serverHost("127.0.0.1").serverPort(mqttPort)
                .simpleAuth().username(TestAccess.ADMIN)
                .password(TestAccess.password(TestAccess.ADMIN).getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildAsync();
        client.connect().get(30, TimeUnit.SECONDS);
        return client;
    }

    /** Publishes every seq without a PUBACK yet, in order, with at most {@link #IN_FLIGHT} unacknowledged. */
    private void publishAllUnacked(final Mqtt5AsyncClient client) {
        final Semaphore window = new Semaphore(IN_FLIGHT);
        try {
            for (int seq = 0; seq < SAMPLES; seq++) {
                if (isAcked(seq)) {
                    continue;
                }
                if (!window.tryAcquire(30, TimeUnit.SECONDS) || !client.getState().isConnected()) {
                    return;
                }
                final int s = seq;
                client.publishWith().topic(topic(seq)).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("{\"v\":" + value(seq) + ",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8))
                        .send()
                        .whenComplete((result, error) -> {
                            window.release();
                            if (error == null && accepted(result)) {
                                markAcked(s);
                            }
                        });
            }
            window.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean accepted(final Mqtt5PublishResult result) {
        return result.getError().isEmpty()
                && !((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().isError();
    }

    private static String topic(final int seq) {
        final int series = seq % SERIES;
        return "tenants/crash/plants/p1/racks/r1/packs/k" + (series / 16) + "/cells/" + (series % 16) + "/voltage";
    }

    private static double value(final int seq) {
        return 3.0 + (seq % 1000) / 1000.0;
    }

    private static double expectedValueSum() {
        double sum = 0;
        for (int seq = 0; seq < SAMPLES; seq++) {
            sum += value(seq);
        }
        return sum;
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-3);
    }

    private synchronized boolean isAcked(final int seq) {
        return acked.get(seq);
    }

    private synchronized void markAcked(final int seq) {
        acked.set(seq);
    }

    private synchronized int ackedCount() {
        return acked.cardinality();
    }

    private Connection openHistoryReadOnly() throws Exception {
        final Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:"
                + workDir.resolve("data").resolve(SampleStore.DATABASE_FILE).toAbsolutePath(), readOnly);
    }
}
