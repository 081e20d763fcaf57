package io.cellwatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code all --smoke} (every scenario, every variant, at tiny sizes), so the harness cannot rot unnoticed;
 * asserts sanity, not speed.
 */
class BenchMainSmokeTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void smokeRunMeasuresEveryScenarioAndVariantAndRendersTheTables() throws Exception {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final SuiteReport report = BenchMain.run("all", SuiteOptions.smokeRun(),
                new PrintStream(progress, true, StandardCharsets.UTF_8), "all --smoke");

        assertThat(report.ingest().row(IngestScenario.BARE, 0)).isPresent();
        for (final String variant : new String[]{IngestScenario.BARE, IngestScenario.NOOP_INTERCEPTOR,
                IngestScenario.AUTH_OFF}) {
            for (final int qos : new int[]{0, 1}) {
                assertThat(report.ingest().row(variant, qos)).as(variant + " QoS " + qos).hasValueSatisfying(row -> {
                    assertThat(row.accepted()).isNotEmpty().allSatisfy(r -> assertThat(r).isPositive());
                    assertThat(row.failed()).isZero();
                });
            }
        }
        // auth+ACL either ran with non-zero rates or says plainly why it was not measured.
        if (report.ingest().row(IngestScenario.AUTH_ACL, 1).isPresent()) {
            assertThat(report.ingest().row(IngestScenario.AUTH_ACL, 1).get().median()).isPositive();
        } else {
            assertThat(report.ingest().notMeasured()).anySatisfy(m -> assertThat(m).startsWith(IngestScenario.AUTH_ACL));
        }
        assertThat(report.acl().of(IngestScenario.AUTH_OFF)).isNotEmpty();
        assertThat(report.acl().runs()).hasSize(2 * report.acl().of(IngestScenario.AUTH_OFF).size())
                .allSatisfy(run -> {
                    assertThat(run.publishes()).isPositive();
                    assertThat(run.serverMicrosPerPublish()).isPositive();
                    assertThat(run.processMicrosPerPublish()).isGreaterThanOrEqualTo(run.serverMicrosPerPublish());
                    assertThat(run.flatOut()).isPositive();
                });
        assertThat(report.acl().checkNanos()).isPositive();
        assertThat(report.persistence().accepted()).isPositive();
        assertThat(report.persistence().ack().getTotalCount()).isPositive();
        assertThat(report.persistence().writtenSamples()).isEqualTo(report.persistence().totalSamples());
        assertThat(report.persistence().walBytes()).isPositive();
        assertThat(report.latency().steps()).extracting(LatencyScenario.Step::label)
                .containsExactly("large");
        assertThat(report.latency().steps()).allSatisfy(step -> {
            assertThat(step.closedReading()).as(step.label() + ": reading clients closed").isZero();
            assertThat(step.runs()).isNotEmpty().allSatisfy(run -> {
                assertThat(run.achieved()).isPositive();
                assertThat(run.deliveries().getTotalCount()).isPositive();
            });
        });
        assertThat(report.scale()).isNotEmpty().allSatisfy(size -> {
            assertThat(size.newNs()).isPositive();
            assertThat(size.knownNs()).isPositive();
        });
        assertThat(report.storage().paced()).isNotEmpty();

        assertThat(report.render()).contains("### Headline", "### Ingest", "### Persistence", "### Latency",
                "### Scale", "### ACL cost on the publish path", "#### (c) History query", "jvm flags:", "[SMOKE]",
                "| cellwatch auth off / bare broker |",
                "| cellwatch auth off / no-op interceptor (cellwatch's own work) |");
    }
}
