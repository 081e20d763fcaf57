package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscribe to a subtree of 100,000 series: the snapshot comes in bounded pages at the reader's pace, clients that
 * do not read are closed after the slow-client bound, and another tenant's live view never pauses meanwhile.
 */
@RunsAlone
@Timeout(180)
class LiveSnapshotBoundIT {

    private static final String BIG = "tenants/acme/plants/big";
    private static final int RACKS = 100;
    private static final int METRICS = 1_000;
    private static final int PAGE_BYTES = 256 * 1024;

    @TempDir
    static Path dir;
    static CellwatchServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/cellwatch.properties"), "live.slow-client-millis = 2000\n");
        server = TestServers.start(dir);
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.config().mqttPort(),
                TestAccess.ACME_GATEWAY);
        for (int rack = 0; rack < RACKS; rack++) {
            final StringBuilder json = new StringBuilder("{");
            for (int m = 0; m < METRICS; m++) {
                json.append(m == 0 ? "" : ",").append("\"cell_string_voltage_channel_").append(m).append("\":")
                        .append(m);
            }
            assertThat(Gateways.publish(gateway, BIG + "/racks/r" + rack, json.append('}').toString()))
                    .isIn(Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        }
        gateway.disconnect();
        final HttpApi api = new HttpApi(server.httpPort());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.latest(BIG + "/racks/r" + (RACKS - 1) + "/cell_string_voltage_channel_" + (METRICS - 1)) != null);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void hugeSnapshotComesInBoundedPagesThatAddUpToTheSubtree() throws Exception {
        try (LiveClient reader = new LiveClient(server.httpPort(), TestAccess.ACME_OPERATOR)) {
            reader.subscribe(BIG);
            int samples = 0;
            final List<Integer> sizes = new ArrayList<>();
            for (JsonNode frame = reader.next(20); ; frame = reader.next(20)) {
                assertThat(frame.path("type").asText()).isIn("snapshot", "snapshot-page");
                assertThat(frame.path("path").asText()).isEqualTo(BIG);
                sizes.add(frame.toString().length());
                samples += frame.path("samples").size();
                if (!frame.path("more").asBoolean(false)) {
                    break;
                }
            }
            assertThat(samples).isEqualTo(RACKS * METRICS);
            assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(PAGE_BYTES));
        }
    }

    @Test
    void clientsThatNeverReadTheirSnapshotAreClosedWhileAnotherTenantKeepsReceivingDeltas() throws Exception {
        final HttpApi api = new HttpApi(server.httpPort());
        final double closedBefore = api.metric("cellwatch_live_clients_closed_slow_total");
        final List<LiveClient> stalled = new CopyOnWriteArrayList<>();
        try (VictimView victim = new VictimView(server)) {
            final AtomicBoolean attacking = new AtomicBoolean(true);
            final Thread attack = new Thread(() -> {
                try {
                    for (int i = 0; i < 3; i++) {
                        final LiveClient client = new LiveClient(server.httpPort(), TestAccess.ACME_OPERATOR);
                        stalled.add(client);
                        client.stopReading();
                        client.subscribe("tenants/acme");
                    }
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                            api.metric("cellwatch_live_clients_closed_slow_total") >= closedBefore + 3);
                } catch (final Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    attacking.set(false);
                }
            }, "unread-snapshots");
            attack.start();
            final long longestPause = victim.watchFor(attacking, 2_000);
            attack.join();

            assertThat(longestPause).as("longest pause between the victim's deltas, ms").isLessThan(1_000);
            assertThat(api.metric("cellwatch_live_clients_closed_slow_total")).isEqualTo(closedBefore + 3);
            for (final LiveClient client : stalled) {
                client.resumeReading();
                assertThat(client.closedByServer().get(20, TimeUnit.SECONDS)).isEqualTo(1013);
            }
        } finally {
            stalled.forEach(LiveClient::close);
        }
    }

    @Test
    void restSnapshotOfAHugeSubtreeIsPaged() throws Exception {
        final HttpApi api = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final JsonNode first = api.getJson("/api/v1/snapshot?path=" + BIG);
        assertThat(first.path("samples").size()).isEqualTo(10_000);
        assertThat(first.path("total").asInt()).isEqualTo(RACKS * METRICS);
        assertThat(first.path("next").asInt()).isEqualTo(10_000);
        final JsonNode last = api.getJson("/api/v1/snapshot?path=" + BIG + "&offset=99000&limit=5000");
        assertThat(last.path("samples").size()).isEqualTo(1_000);
        assertThat(last.has("next")).isFalse();
    }
}
