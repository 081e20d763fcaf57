package io.cellwatch.bench;

import io.cellwatch.extension.alerts.AlertRules;
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
 * {@code alerts} at the smoke size, so the harness cannot rot unnoticed: its rules file is valid, the rules are
 * loaded and judge every sample, and the report renders. Asserts sanity, not speed.
 */
class FeatureCostScenarioSmokeTest {

    @TempDir
    Path dir;

    @Test
    void theBenchmarksRulesFileIsValidWithEveryKind() throws Exception {
        final AlertRules rules = AlertRules.parse(dir.resolve("alerts.rules"),
                FeatureCostScenario.rulesFile(FeatureCostScenario.RULES));
        assertThat(rules.size()).isEqualTo(FeatureCostScenario.RULES);
        assertThat(rules.tenant(BenchServers.TENANT).orElseThrow().rules())
                .extracting(r -> r.kind().word()).containsOnly("threshold", "rate", "stale", "aggregate", "zscore");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void smokeRunJudgesEverySampleWithTheRulesAndNoneWithout() throws Exception {
        final FeatureCostScenario.Feature alerts = FeatureCostScenario.Feature.ALERTS;
        final SuiteOptions options = SuiteOptions.smokeRun();
        final List<FeatureCostScenario.Run> runs = run(alerts, options);

        for (final FeatureCostScenario.Run run : runs) {
            final double samples = run.publishes() * (double) run.samplesPerPublish();
            if (run.variant().equals(alerts.on())) {
                assertThat(run.taken()).as("every sample judged").isEqualTo(samples);
            } else {
                assertThat(run.taken()).as("nothing to judge without rules").isZero();
            }
            assertThat(run.dropped()).isZero();
        }
        assertThat(String.join("\n", FeatureCostScenario.render(alerts, options, runs)))
                .contains("### Alert rules on the ingest path: none vs 1000", "| 1000 rules |", "| no rules |");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void smokeRunAnalysesEveryCellVoltageWithAnalyticsOnAndNothingOff() throws Exception {
        final FeatureCostScenario.Feature analytics = FeatureCostScenario.Feature.ANALYTICS;
        final SuiteOptions options = SuiteOptions.smokeRun();
        final List<FeatureCostScenario.Run> runs = run(analytics, options);

        for (final FeatureCostScenario.Run run : runs) {
            if (run.variant().equals(analytics.on())) {
                // A cell publish carries voltage, temperature and SoC; the estimators take the voltage.
                assertThat(run.taken()).as("every cell voltage analysed").isEqualTo((double) run.publishes());
            } else {
                assertThat(run.taken()).as("nothing analysed when off").isZero();
            }
            assertThat(run.dropped()).isZero();
        }
        assertThat(String.join("\n", FeatureCostScenario.render(analytics, options, runs)))
                .contains("### Battery analytics on the ingest path: off vs on", "| analytics on |",
                        "| analytics off |");
    }

    private List<FeatureCostScenario.Run> run(final FeatureCostScenario.Feature feature, final SuiteOptions options)
            throws Exception {
        final List<FeatureCostScenario.Run> runs = FeatureCostScenario.run(feature, options, options.aclRate(), dir,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(runs).extracting(FeatureCostScenario.Run::variant)
                .containsExactlyInAnyOrder(feature.off(), feature.on());
        return runs;
    }
}
