package io.cellwatch.bench;

import io.cellwatch.bench.QueryBenchmark.Timing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the storage benchmark at smoke size, so the harness cannot rot unnoticed; asserts sanity, not speed. */
class StorageBenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void smokeRunCommitsEverySampleAndAnswersEverySeriesWithinThePointBudget() throws Exception {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final StorageReport report = StorageBenchmark.run(BenchOptions.smoke(dir.resolve("data")),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(report.saturation()).isNotEmpty().allSatisfy(run -> {
            assertThat(run.appendRate()).isPositive();
            assertThat(run.drainRate() + run.committedRate()).isPositive();
        });
        assertThat(report.paced()).isNotEmpty().allSatisfy(run -> {
            assertThat(run.appendedSamples()).isPositive();
            assertThat(run.lag().count()).isEqualTo(run.appendedSamples() / 3);
            assertThat(run.lag().unmatched()).isZero();
            assertThat(run.lag().p99()).isPositive();
        });
        assertThat(report.appendedSamples()).isPositive();
        assertThat(report.writtenSamples()).isEqualTo(report.appendedSamples());

        assertThat(report.load().sampleRows()).isEqualTo(report.load().samples()).isEqualTo(288L * 1440);
        final Timing day = report.queries().get(0);
        assertThat(day.series()).isEqualTo(288);
        assertThat(day.minPoints()).isPositive();
        assertThat(day.maxPoints()).isLessThanOrEqualTo(1000);
        assertThat(day.resolution()).isEqualTo("1m");
        assertThat(day.runsMs()).hasSize(3).allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(report.render()).contains("### (a) Flat out", "### (a)+(b) Paced", "### (c) History query",
                "jvm flags:", "[SMOKE]");
    }
}
