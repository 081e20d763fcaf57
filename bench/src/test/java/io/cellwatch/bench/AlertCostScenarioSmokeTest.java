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
class AlertCostScenarioSmokeTest {

    @TempDir
    Path dir;

    @Test
    void theBenchmarksRulesFileIsValidWithEveryKind() throws Exception {
        final AlertRules rules = AlertRules.parse(dir.resolve("alerts.rules"),
                AlertCostScenario.rulesFile(AlertCostScenario.RULES));
        assertThat(rules.size()).isEqualTo(AlertCostScenario.RULES);
        assertThat(rules.tenant(BenchServers.TENANT).orElseThrow().rules())
                .extracting(r -> r.kind().word()).containsOnly("threshold", "rate", "stale", "aggregate", "zscore");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void smokeRunJudgesEverySampleWithTheRulesAndNoneWithout() throws Exception {
        final SuiteOptions options = SuiteOptions.smokeRun();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final List<AlertCostScenario.Run> runs = AlertCostScenario.run(options, options.aclRate(), dir,
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(runs).extracting(AlertCostScenario.Run::variant)
                .containsExactlyInAnyOrder(AlertCostScenario.NONE, AlertCostScenario.LOADED);
        for (final AlertCostScenario.Run run : runs) {
            final double samples = run.publishes() * (double) run.samplesPerPublish();
            if (run.variant().equals(AlertCostScenario.LOADED)) {
                assertThat(run.evaluated()).as("every sample judged").isEqualTo(samples);
            } else {
                assertThat(run.evaluated()).as("nothing to judge without rules").isZero();
            }
            assertThat(run.dropped()).isZero();
        }
        assertThat(String.join("\n", AlertCostScenario.render(options, runs)))
                .contains("### Alert rules on the ingest path: none vs 1000", "| 1000 rules |", "| no rules |");
    }
}
