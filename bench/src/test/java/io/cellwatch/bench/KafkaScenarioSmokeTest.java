package io.cellwatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kafka} and {@code kafka --connections} at the smoke size, so the harness cannot rot unnoticed: every part runs
 * against a real Kafka broker, its figures are sane (the serving node stored every sample, deliveries arrived through
 * Kafka, the node held its connections) and the reports render. Asserts sanity, not speed.
 */
class KafkaScenarioSmokeTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void smokeRunMeasuresExportCostLatencyAndCatchUpThroughKafka() throws Exception {
        final KafkaScenario.Options options = KafkaScenario.Options.parse(List.of("--smoke"));
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final KafkaScenario.Result result = KafkaScenario.run(options, dir,
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(result.cost()).extracting(KafkaScenario.CostRun::variant)
                .containsExactlyInAnyOrder(KafkaScenario.ALL, KafkaScenario.INGEST);
        assertThat(result.cost()).allSatisfy(run -> {
            assertThat(run.flatPublishes()).isPositive();
            assertThat(run.pacedPublishes()).isPositive();
        });
        assertThat(result.cost()).filteredOn(r -> r.variant().equals(KafkaScenario.INGEST))
                .allSatisfy(run -> assertThat(run.exportedFlat()).as("exported samples/s").isPositive());
        assertThat(result.latency().step().runs()).allSatisfy(run ->
                assertThat(run.deliveries().getTotalCount()).as("deliveries through Kafka").isPositive());
        assertThat(result.catchUp().samples()).isGreaterThanOrEqualTo(options.catchupSamples());
        assertThat(result.catchUp().allSeconds()).isPositive();
        assertThat(String.join("\n", KafkaScenario.render(options, result)))
                .contains("### A. Export cost", "### B. Publish → WebSocket through Kafka",
                        "### C. Serving-node catch-up from Kafka");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void smokeRunOfConnectionsHoldsThemAndStoresWhatTheyPublish() throws Exception {
        final ConnectionsScenario.Options options = ConnectionsScenario.Options.parse(List.of("--smoke"));
        final ConnectionsScenario.Result result = ConnectionsScenario.run(options, dir,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(result.connected()).isEqualTo(options.connections());
        assertThat(result.held()).isEqualTo(options.connections());
        assertThat(result.failed()).isZero();
        assertThat(result.series()).isEqualTo((double) options.connections() * options.metrics());
        assertThat(result.accepted()).isPositive();
        assertThat(result.withSeries().heapMiB()).isPositive();
        assertThat(String.join("\n", ConnectionsScenario.render(result))).contains("### D. One node");
    }
}
