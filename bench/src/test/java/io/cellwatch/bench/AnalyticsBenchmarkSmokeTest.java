package io.cellwatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the analytics benchmark at smoke size, so the harness cannot rot unnoticed; asserts sanity, not speed. */
class AnalyticsBenchmarkSmokeTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void smokeRunMeasuresEveryRoutedSampleOfTheFleet() throws Exception {
        final List<String> report = AnalyticsBenchmark.run(1_600, 10);

        assertThat(report.get(0)).isEqualTo("### Analytics thread cost at 1,600 cells");
        // 100 packs, 9 measured seconds: 100 × 17 publishes × 3 samples offered, 100 × 19 routed, per second.
        assertThat(String.join("\n", report)).contains("| 45,900 | 17,100 |");
    }
}
