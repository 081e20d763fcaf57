package io.cellwatch.extension.alerts;

import io.cellwatch.extension.ManualClock;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule kind judged sample by sample on the alert clock, hysteresis and holds included. */
class RuleEvaluationTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SeriesCatalog catalog = new SeriesCatalog();
    private final AlertBook book = new AlertBook();
    private final List<String> events = new ArrayList<>();

    RuleEvaluationTest() {
        book.onChange(a -> events.add(a.state().word() + " " + a.subject() + " " + a.value()));
    }

    private static AlertRule rule(final String line) throws Exception {
        return AlertRules.parse(Path.of("t.rules"), "tenant acme\n" + line).tenant("acme").orElseThrow().rules().get(0);
    }

    private Series series(final String key) {
        final List<String> levels = List.of(key.split("/"));
        return catalog.internSeries(catalog.internNode(levels.subList(0, levels.size() - 1)),
                levels.get(levels.size() - 1));
    }

    private void feed(final RuleRuntime rule, final Series series, final double... values) {
        for (final double v : values) {
            rule.sample(series, v, clock.millis(), clock.millis(), book);
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void thresholdRaisesPastItsLevelAndClearsOnlyBelowTheClearLevel() throws Exception {
        final RuleRuntime hot = new RuleRuntime(rule("alert hot threshold cells/+/temperature > 45 clear 43"));
        final Series cell = series("tenants/acme/cells/1/temperature");

        feed(hot, cell, 40, 45, 46, 47, 44, 45.5, 43.5, 43, 46);

        assertThat(events).containsExactly(
                "raised tenants/acme/cells/1/temperature 46.0",
                "cleared tenants/acme/cells/1/temperature 43.0",
                "raised tenants/acme/cells/1/temperature 46.0");
        assertThat(book.alerts(a -> true)).singleElement().satisfies(a -> assertThat(a.raises()).isEqualTo(2));
    }

    @Test
    void holdRaisesOnlyWhenTheConditionLastsEvenWithoutNewSamples() throws Exception {
        final RuleRuntime hot = new RuleRuntime(rule("alert hot threshold cells/+/temperature > 45 hold 3s clear-hold 2s"));
        final Series cell = series("tenants/acme/cells/1/temperature");

        feed(hot, cell, 50, 50, 40);
        assertThat(events).as("2 s above is shorter than the hold").isEmpty();

        feed(hot, cell, 50);
        clock.advance(Duration.ofSeconds(2));
        hot.tick(clock.millis(), book);
        assertThat(events).containsExactly("raised tenants/acme/cells/1/temperature 50.0");

        feed(hot, cell, 40, 50, 40);
        assertThat(events).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        hot.tick(clock.millis(), book);
        assertThat(events).last().isEqualTo("cleared tenants/acme/cells/1/temperature 40.0");
    }

    @Test
    void rateJudgesChangePerSecondOfDeviceTime() throws Exception {
        final RuleRuntime rise = new RuleRuntime(rule("alert rise rate cells/+/temperature > 0.5"));
        final Series cell = series("tenants/acme/cells/1/temperature");

        feed(rise, cell, 30, 30.25, 30.5, 31.5, 31.75);

        assertThat(events).containsExactly("raised tenants/acme/cells/1/temperature 1.0",
                "cleared tenants/acme/cells/1/temperature 0.25");
    }

    @Test
    void staleRaisesAfterSilenceOnTheAlertClockAndClearsOnTheNextSample() throws Exception {
        final RuleRuntime quiet = new RuleRuntime(rule("alert quiet stale cells/+/voltage > 30s"));
        final Series cell = series("tenants/acme/cells/1/voltage");
        feed(quiet, cell, 3.3);

        clock.advance(Duration.ofSeconds(29));
        quiet.tick(clock.millis(), book);
        assertThat(events).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        quiet.tick(clock.millis(), book);
        assertThat(events).containsExactly("raised tenants/acme/cells/1/voltage 31.0");

        feed(quiet, cell, 3.3);
        assertThat(events).last().isEqualTo("cleared tenants/acme/cells/1/voltage 0.0");
    }

    @Test
    void aggregateSpreadIsJudgedPerPackOverItsCellsLatestValues() throws Exception {
        final RuleRuntime imbalance = new RuleRuntime(
                rule("alert imbalance aggregate spread packs/+/cells/+/voltage > 0.05 clear 0.03"));
        final Series k1c1 = series("tenants/acme/packs/k1/cells/1/voltage");
        final Series k1c2 = series("tenants/acme/packs/k1/cells/2/voltage");
        final Series k2c1 = series("tenants/acme/packs/k2/cells/1/voltage");

        feed(imbalance, k1c1, 3.30);
        feed(imbalance, k1c2, 3.32);
        feed(imbalance, k2c1, 3.50);
        assertThat(events).as("3.50 is in another pack").isEmpty();
        feed(imbalance, k1c2, 3.37);
        feed(imbalance, k1c2, 3.34);
        assertThat(events).as("0.04 is inside the hysteresis band").hasSize(1);
        feed(imbalance, k1c1, 3.32);

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).startsWith("raised tenants/acme/packs/k1 0.07");
        assertThat(events.get(1)).startsWith("cleared tenants/acme/packs/k1 0.02");
    }

    @Test
    void zscoreRaisesOnAStepAwayFromTheSeriesOwnBaselineAndClearsOnceTheBaselineHasMoved() throws Exception {
        final RuleRuntime odd = new RuleRuntime(rule("alert odd zscore cells/+/temperature > 4 window 10"));
        final Series cell = series("tenants/acme/cells/1/temperature");
        for (int i = 0; i < 20; i++) {
            feed(odd, cell, 30 + (i % 2 == 0 ? 0.1 : -0.1));
        }
        assertThat(events).as("noise within the baseline").isEmpty();

        feed(odd, cell, 35);
        assertThat(events).singleElement().asString().startsWith("raised tenants/acme/cells/1/temperature");
        for (int i = 0; i < 15; i++) {
            feed(odd, cell, 35 + (i % 2 == 0 ? 0.1 : -0.1));
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).startsWith("cleared tenants/acme/cells/1/temperature");
    }

    @Test
    void acknowledgedAlertStillActiveIsRaisedAgainAfterTheReraiseTime() throws Exception {
        final RuleRuntime hot = new RuleRuntime(rule("alert hot threshold cells/+/temperature > 45 reraise 10s"));
        final Series cell = series("tenants/acme/cells/1/temperature");
        feed(hot, cell, 50);
        final Alert raised = book.alerts(a -> true).get(0);
        assertThat(book.acknowledge("acme", raised.id(), "alice", clock.millis()).outcome())
                .isEqualTo(Acknowledgement.Outcome.ACKNOWLEDGED);
        assertThat(book.acknowledge("acme", raised.id(), "bob", clock.millis()).outcome())
                .isEqualTo(Acknowledgement.Outcome.NOT_RAISED);

        clock.advance(Duration.ofSeconds(9));
        hot.tick(clock.millis(), book);
        assertThat(book.get("acme", raised.id()).orElseThrow().state()).isEqualTo(AlertState.ACKNOWLEDGED);
        clock.advance(Duration.ofSeconds(1));
        hot.tick(clock.millis(), book);

        final Alert again = book.get("acme", raised.id()).orElseThrow();
        assertThat(again.state()).isEqualTo(AlertState.RAISED);
        assertThat(again.raises()).isEqualTo(2);
        assertThat(again.acknowledgedBy()).isNull();
        assertThat(events).extracting(e -> e.split(" ")[0]).containsExactly("raised", "acknowledged", "raised");
    }

    @Test
    void eachSubjectHasItsOwnAlertWithAStableId() throws Exception {
        final AlertRule rule = rule("alert hot threshold cells/+/temperature > 45");
        final RuleRuntime hot = new RuleRuntime(rule);
        feed(hot, series("tenants/acme/cells/1/temperature"), 50);
        feed(hot, series("tenants/acme/cells/2/temperature"), 50);

        assertThat(book.alerts(a -> true)).extracting(Alert::id).containsExactlyInAnyOrder(
                AlertBook.idOf(rule, "tenants/acme/cells/1/temperature"),
                AlertBook.idOf(rule, "tenants/acme/cells/2/temperature"));
        assertThat(AlertBook.idOf(rule, "tenants/acme/cells/1/temperature")).matches("hot~[0-9a-f]{10}");
    }
}
