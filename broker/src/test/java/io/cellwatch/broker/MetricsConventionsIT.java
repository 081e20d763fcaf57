package io.cellwatch.broker;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scrapes {@code /metrics} of a real server, parses it with a strict text-format parser, checks the naming
 * conventions of every family, and sees every operations metric move while telemetry, live clients and history
 * queries flow.
 */
@Timeout(120)
class MetricsConventionsIT {

    private static final String PLANT = "tenants/acme/plants/m1/racks/r1/packs/k1";

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static HttpApi admin;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(dir);
        admin = new HttpApi(server.httpPort());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Map<String, PrometheusText.Family> scrape() throws Exception {
        final var response = admin.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(response.body());
    }

    private static double value(final Map<String, PrometheusText.Family> families, final String family,
                                final String sample, final Map<String, String> labels) {
        assertThat(families).as("family %s on /metrics", family).containsKey(family);
        return families.get(family).value(sample, labels).orElse(0.0);
    }

    private static double count(final Map<String, PrometheusText.Family> families, final String histogram,
                                final Map<String, String> labels) {
        assertThat(families.get(histogram)).as(histogram).isNotNull()
                .extracting(PrometheusText.Family::type).isEqualTo("histogram");
        return value(families, histogram, histogram + "_count", labels);
    }

    @Test
    void everyFamilyFollowsTheConventions() throws Exception {
        final Map<String, PrometheusText.Family> families = scrape();

        assertThat(families).containsKeys("cellwatch_build_info", "jvm_memory_used_bytes", "jvm_threads_current",
                "process_cpu_seconds_total", "process_resident_memory_bytes", "cellwatch_ingest_rejected_total");
        assertThat(families.keySet()).anyMatch(name -> name.startsWith("com_hivemq_"));
        assertThat(families.get("cellwatch_build_info").samples()).singleElement()
                .satisfies(s -> assertThat(s.labels()).containsKeys("version", "java_version"));
        for (final PrometheusText.Family family : families.values()) {
            final String name = family.name();
            assertThat(family.help()).as("HELP of %s", name).isNotBlank()
                    .doesNotContain("Generated from Dropwizard").doesNotContain("$$Lambda")
                    .isNotEqualToIgnoringCase(name);
            assertThat(name).as("units are base units").doesNotContain("_ms").doesNotContain("_millis")
                    .doesNotContain("_milliseconds").doesNotContain("_nanos").doesNotContain("_kb")
                    .doesNotContain("_mb");
            if (family.type().equals("counter")) {
                assertThat(name).as("counter %s", name).endsWith("_total");
            } else {
                assertThat(name).as("%s %s", family.type(), name).doesNotEndWith("_total");
            }
            if (name.startsWith("cellwatch_") && family.type().equals("histogram")) {
                assertThat(name).as("latency histogram %s", name).endsWith("_seconds");
            }
            if (name.startsWith("cellwatch_") && family.type().equals("gauge")) {
                assertThat(name).as("gauge %s", name).doesNotEndWith("_count");
            }
        }
        // Rejections are one family with a reason label, not one family per reason.
        assertThat(families.keySet()).noneMatch(name -> name.startsWith("cellwatch_ingest_rejected_")
                && !name.equals("cellwatch_ingest_rejected_total"));
        assertThat(families.get("cellwatch_ingest_rejected_total").samples())
                .extracting(s -> s.labels().get("reason")).contains("bad_json", "not_a_number");
    }

    @Test
    void everyOperationsMetricMovesWhileTrafficFlows() throws Exception {
        final Map<String, String> none = Map.of();
        final Map<String, String> acme = Map.of("tenant", "acme");
        final Map<String, String> history = Map.of("route", "/api/v1/history");
        final Map<String, PrometheusText.Family> before = scrape();
        assertThat(value(before, "cellwatch_live_sessions", "cellwatch_live_sessions", none)).isZero();
        assertThat(value(before, "cellwatch_history_writer_up", "cellwatch_history_writer_up", none)).isEqualTo(1);

        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        try (LiveClient live = new LiveClient(server.httpPort())) {
            live.subscribe("tenants/acme");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                final Map<String, PrometheusText.Family> now = scrape();
                assertThat(value(now, "cellwatch_live_sessions", "cellwatch_live_sessions", none)).isEqualTo(1);
                assertThat(value(now, "cellwatch_mqtt_clients_connected", "cellwatch_mqtt_clients_connected", acme))
                        .isEqualTo(1);
            });
            for (int cell = 1; cell <= 20; cell++) {
                Gateways.publish(gateway, PLANT + "/cells/" + cell, "{\"voltage\":3.6" + cell + ",\"soc\":0.8}");
            }
            final String series = PLANT + "/cells/1/voltage";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    admin.get("/api/v1/history?series=" + series + "&points=10").body()).contains("3.61"));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                final Map<String, PrometheusText.Family> after = scrape();
                assertThat(count(after, "cellwatch_ingest_wal_append_seconds", none))
                        .isGreaterThanOrEqualTo(count(before, "cellwatch_ingest_wal_append_seconds", none) + 20);
                assertThat(count(after, "cellwatch_history_commit_seconds", none))
                        .isGreaterThan(count(before, "cellwatch_history_commit_seconds", none));
                assertThat(count(after, "cellwatch_live_delivery_seconds", none))
                        .isGreaterThan(count(before, "cellwatch_live_delivery_seconds", none));
                assertThat(count(after, "cellwatch_http_request_seconds", history))
                        .isGreaterThan(count(before, "cellwatch_http_request_seconds", history));
                assertThat(count(after, "cellwatch_history_query_seconds", none))
                        .isGreaterThan(count(before, "cellwatch_history_query_seconds", none));
                assertThat(value(after, "cellwatch_series", "cellwatch_series", none))
                        .isGreaterThanOrEqualTo(value(before, "cellwatch_series", "cellwatch_series", none) + 40);
                assertThat(value(after, "cellwatch_ingest_samples_accepted_total",
                        "cellwatch_ingest_samples_accepted_total", none))
                        .isGreaterThanOrEqualTo(40);
                assertThat(value(after, "cellwatch_history_samples_written_total",
                        "cellwatch_history_samples_written_total", none)).isGreaterThanOrEqualTo(40);
                assertThat(value(after, "cellwatch_wal_disk_bytes", "cellwatch_wal_disk_bytes", none)).isPositive();
                assertThat(after.get("com_hivemq_messages_incoming_publish_total")).as("HiveMQ's publish counter")
                        .isNotNull().extracting(PrometheusText.Family::type).isEqualTo("counter");
                assertThat(value(after, "com_hivemq_messages_incoming_publish_total",
                        "com_hivemq_messages_incoming_publish_total", none)).isGreaterThanOrEqualTo(20);
            });

            // The backlog gauges move once the writer stops: records pile up in the WAL and age.
            server.extension().stopHistoryWriter();
            for (int cell = 21; cell <= 25; cell++) {
                Gateways.publish(gateway, PLANT + "/cells/" + cell, "{\"voltage\":3.7}");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                final Map<String, PrometheusText.Family> stalled = scrape();
                assertThat(value(stalled, "cellwatch_history_writer_up", "cellwatch_history_writer_up", none))
                        .isZero();
                assertThat(value(stalled, "cellwatch_wal_backlog_records", "cellwatch_wal_backlog_records", none))
                        .isGreaterThanOrEqualTo(5);
                assertThat(value(stalled, "cellwatch_wal_backlog_age_seconds", "cellwatch_wal_backlog_age_seconds",
                        none)).isPositive();
            });
        } finally {
            gateway.disconnect();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            final Map<String, PrometheusText.Family> after = scrape();
            assertThat(value(after, "cellwatch_live_sessions", "cellwatch_live_sessions", none)).isZero();
            // A tenant without connected clients has no sample (and no tenant has none at all: no family).
            assertThat(after.containsKey("cellwatch_mqtt_clients_connected") ? after.get(
                    "cellwatch_mqtt_clients_connected").value("cellwatch_mqtt_clients_connected", acme) : Optional.empty())
                    .isEmpty();
        });
    }
}
