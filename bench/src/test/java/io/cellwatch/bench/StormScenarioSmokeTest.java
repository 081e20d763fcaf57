package io.cellwatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code storm} at a tiny size (20 gateways, 3 s outage), so the harness cannot rot unnoticed: every backlog drains
 * and the probe reaches the WebSocket client. Asserts sanity, not speed.
 */
class StormScenarioSmokeTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void smallStormDrainsEveryBacklogAndDeliversTheProbe() throws Exception {
        final StormScenario.Options options = new StormScenario.Options(20, 4, Duration.ofMillis(200),
                Duration.ofSeconds(3), Duration.ofSeconds(60));
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();

        final StormScenario.Result result = StormScenario.run(options, dir,
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(result.minBacklog()).as("every gateway had a backlog").isPositive();
        assertThat(result.drainSeconds()).isPositive();
        assertThat(result.refused()).isZero();
        assertThat(result.probeMicros().getTotalCount()).as("probes delivered over WebSocket").isPositive();
        assertThat(result.render()).contains("| gateways (1 JVM, with the server) | 20, 4 cells each");
    }
}
