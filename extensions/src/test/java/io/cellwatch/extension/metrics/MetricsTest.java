package io.cellwatch.extension.metrics;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsTest {

    private final Metrics metrics = Metrics.create();

    private String page() {
        return new String(metrics.scrape(), StandardCharsets.UTF_8);
    }

    @Test
    void aMetricThatBreaksTheConventionsIsRefusedWhenMade() {
        assertThatThrownBy(() -> metrics.counter("cellwatch_things", "Things")).hasMessageContaining("_total");
        assertThatThrownBy(() -> metrics.seconds("cellwatch_lag_ms", "Lag")).hasMessageContaining("_seconds");
        assertThatThrownBy(() -> metrics.gauge("cellwatch_open_total", "Open", () -> 1))
                .hasMessageContaining("gauge");
        assertThatThrownBy(() -> metrics.counter("other_total", "Other")).hasMessageContaining("cellwatch_");
        assertThatThrownBy(() -> metrics.counter("cellwatch_x_total", " ")).hasMessageContaining("help");
    }

    @Test
    void countersGaugesAndHistogramsAreWrittenInTheTextFormat() {
        metrics.counter("cellwatch_things_total", "Things seen", "reason").labelValues("odd").inc(3);
        metrics.gauge("cellwatch_open", "Things open", () -> 2);
        metrics.seconds("cellwatch_step_seconds", "One step").observe(0.003);

        assertThat(page()).contains("# TYPE cellwatch_things_total counter",
                "# HELP cellwatch_things_total Things seen", "cellwatch_things_total{reason=\"odd\"} 3.0",
                "# TYPE cellwatch_open gauge", "cellwatch_open 2.0",
                "# TYPE cellwatch_step_seconds histogram", "cellwatch_step_seconds_bucket{le=\"0.005\"} 1",
                "cellwatch_step_seconds_count 1");
    }

    @Test
    void hivemqsDropwizardMetricsFollowTheSameConventions() {
        final MetricRegistry hivemq = new MetricRegistry();
        hivemq.counter("com.hivemq.messages.incoming.publish.count").inc(5);
        hivemq.counter("com.hivemq.networking.connections.current").inc(2);
        hivemq.register("com.hivemq.networking.bytes.read.total", (com.codahale.metrics.Gauge<Long>) () -> 1024L);
        hivemq.register("com.hivemq.system.os.file.descriptors.open", (com.codahale.metrics.Gauge<Long>) () -> 7L);
        hivemq.timer("com.hivemq.persistence.executor.time").update(2, TimeUnit.MILLISECONDS);
        hivemq.counter("cellwatch.old.counter").inc();
        metrics.register(new DropwizardBridge(hivemq));

        assertThat(page()).contains(
                "# TYPE com_hivemq_messages_incoming_publish_total counter",
                "com_hivemq_messages_incoming_publish_total 5.0",
                "# HELP com_hivemq_messages_incoming_publish_total HiveMQ metric com.hivemq.messages.incoming.publish.count",
                "# TYPE com_hivemq_networking_connections_current gauge",
                "com_hivemq_networking_connections_current 2.0",
                "# TYPE com_hivemq_networking_bytes_read_total counter",
                "# TYPE com_hivemq_system_os_file_descriptors_open gauge",
                "# TYPE com_hivemq_persistence_executor_time_seconds summary",
                "com_hivemq_persistence_executor_time_seconds{quantile=\"0.5\"} 0.002")
                .doesNotContain("cellwatch_old");
    }

    @Test
    void dropwizardNamesAreSanitised() {
        assertThat(DropwizardBridge.sanitize("com.hivemq.a-b.C")).isEqualTo("com_hivemq_a_b_c");
        assertThat(DropwizardBridge.counterName("com.hivemq.x.count")).isEqualTo("com_hivemq_x");
    }
}
