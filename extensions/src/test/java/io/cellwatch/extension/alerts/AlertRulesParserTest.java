package io.cellwatch.extension.alerts;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AlertRulesParserTest {

    private static final Path FILE = Path.of("conf", "alerts.rules");

    private static AlertRules parse(final String... lines) throws InvalidFileException {
        return AlertRules.parse(FILE, String.join("\n", lines));
    }

    private static List<String> problems(final String... lines) {
        final InvalidFileException e = catchThrowableOfType(() -> parse(lines), InvalidFileException.class);
        assertThat(e).as("the file is rejected").isNotNull();
        return e.problems().stream().map(FileProblem::toString).toList();
    }

    @Test
    void parsesEveryKindWithItsOptionsInTenantBlocks() throws Exception {
        final AlertRules rules = parse(
                "# cellwatch alert rules",
                "tenant acme",
                "webhook https://hooks.example.com/acme secret 0123456789abcdef0123",
                "alert cell-hot threshold plants/+/racks/+/packs/+/cells/+/temperature > 45 clear 43 hold 5s "
                        + "severity critical   # hot cells",
                "alert cell-low threshold plants/+/cells/+/voltage < 2.9 clear 3.0",
                "alert fast-rise rate plants/+/cells/+/temperature > 0.5 clear-hold 10s severity major",
                "alert quiet stale plants/+/# > 30s clear 10s severity minor",
                "alert imbalance aggregate spread plants/+/racks/+/packs/+/cells/+/voltage > 0.05 clear 0.04",
                "alert odd zscore plants/+/cells/+/temperature > 4 window 120 reraise 30m severity info",
                "",
                "tenant nordvolt",
                "alert any threshold # > 100");

        assertThat(rules.tenants()).containsOnlyKeys("acme", "nordvolt");
        final TenantAlerts acme = rules.tenant("acme").orElseThrow();
        assertThat(acme.webhook()).contains(new WebhookTarget(URI.create("https://hooks.example.com/acme"),
                "0123456789abcdef0123"));
        assertThat(acme.rules()).extracting(AlertRule::name)
                .containsExactly("cell-hot", "cell-low", "fast-rise", "quiet", "imbalance", "odd");

        final AlertRule hot = acme.rules().get(0);
        assertThat(hot.kind()).isEqualTo(RuleKind.THRESHOLD);
        assertThat(hot.comparison()).isEqualTo(Comparison.ABOVE);
        assertThat(hot.trigger()).isEqualTo(45);
        assertThat(hot.clear()).isEqualTo(43);
        assertThat(hot.holdMillis()).isEqualTo(5_000);
        assertThat(hot.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(hot.line()).isEqualTo(4);
        assertThat(hot.pattern().text()).isEqualTo("plants/+/racks/+/packs/+/cells/+/temperature");

        final AlertRule low = acme.rules().get(1);
        assertThat(low.comparison()).isEqualTo(Comparison.BELOW);
        assertThat(low.clear()).isEqualTo(3.0);
        assertThat(low.severity()).as("default severity").isEqualTo(Severity.WARNING);

        assertThat(acme.rules().get(2).clearHoldMillis()).isEqualTo(10_000);
        final AlertRule quiet = acme.rules().get(3);
        assertThat(quiet.kind()).isEqualTo(RuleKind.STALE);
        assertThat(quiet.trigger()).as("stale levels are seconds").isEqualTo(30.0);
        assertThat(quiet.clear()).isEqualTo(10.0);
        final AlertRule imbalance = acme.rules().get(4);
        assertThat(imbalance.aggregate()).isEqualTo(Aggregate.SPREAD);
        assertThat(imbalance.clear()).isEqualTo(0.04);
        final AlertRule odd = acme.rules().get(5);
        assertThat(odd.window()).isEqualTo(120);
        assertThat(odd.reraiseMillis()).isEqualTo(1_800_000);
        assertThat(rules.tenant("nordvolt").orElseThrow().rules().get(0).pattern().text()).isEqualTo("#");
        assertThat(rules.size()).isEqualTo(7);
    }

    @Test
    void reportsEveryProblemWithFileLineAndField() {
        assertThat(problems(
                "alert early threshold cells/+/voltage > 4",
                "tenant acme",
                "alert hot threshold cells/+/temperature >> 45",
                "alert hot2 threshold cells/+/temperature > hot",
                "alert hot3 threshold cells/+/temperature > 45 clear 50",
                "alert hot4 threshold cells/+/temperature > 45 hold 5 seconds",
                "alert hot5 threshold cells/+/temperature > 45 severity doom",
                "alert hot6 warp cells/+/temperature > 45",
                "alert hot7 threshold tenants/acme/cells/+/temperature > 45",
                "alert hot8 threshold cells/+ > 45",
                "alert hot9 threshold cells/#/temperature > 45",
                "alert hot10 threshold cells/+/temperature > 45 colour red",
                "alert hot11 threshold cells/+/temperature > 45 window 10",
                "alert sink zscore cells/+/temperature < 4",
                "alert spread aggregate median cells/+/voltage > 1",
                "webhook ftp://example.com/x secret 0123456789abcdef",
                "webhook https://example.com/x secret short",
                "bogus line"))
                .containsExactly(
                        FILE + ":1: 'alert' must be inside a tenant block (start one with 'tenant <id>')",
                        FILE + ":3: field comparison: '>>' must be '>' or '<'",
                        FILE + ":4: field level: 'hot' is not a number",
                        FILE + ":5: field clear: > 45 must clear at or below its level, not at 50.0",
                        FILE + ":6: field hold: '5' is not a duration (e.g. 500ms, 30s, 5m, 1h)",
                        FILE + ":7: field severity: 'doom' (expected critical, major, minor, warning or info)",
                        FILE + ":8: field kind: unknown kind 'warp' (expected threshold, rate, stale, aggregate, "
                                + "zscore, resistance-outlier, soh-below or spread-trend)",
                        FILE + ":9: field pattern: 'tenants/acme/cells/+/temperature' is relative to the tenant: "
                                + "leave out 'tenants/<id>/'",
                        FILE + ":10: field pattern: 'cells/+' must end in a metric: (level, id) pairs, then the "
                                + "metric name",
                        FILE + ":11: field pattern: '#' may only be the last level of 'cells/#/temperature'",
                        FILE + ":12: unknown field 'colour' (expected severity, clear, hold, clear-hold, reraise, "
                                + "window or rated)",
                        FILE + ":13: field window: only a zscore rule has a window",
                        FILE + ":14: field comparison: a zscore rule only takes '>'",
                        FILE + ":15: field function: an aggregate rule needs spread, min, max or mean after "
                                + "'aggregate'",
                        FILE + ":16: field url: 'ftp://example.com/x' must be an absolute http:// or https:// URL",
                        FILE + ":17: field secret: at least 16 characters, got 5",
                        FILE + ":18: unknown keyword 'bogus' (expected tenant, webhook or alert)");
    }

    @Test
    void parsesTheAnalyticsKindsOnPackPatterns() throws Exception {
        final AlertRules rules = parse(
                "tenant acme",
                "alert weak-cell resistance-outlier plants/+/racks/+/packs/+ > 1.5 clear 1.3 severity major",
                "alert aged soh-below plants/+/racks/+/packs/+ < 0.8 rated 280",
                "alert drifting spread-trend plants/+/racks/+/packs/+ > 0.5");
        final List<AlertRule> acme = rules.tenants().get("acme").rules();
        assertThat(acme).extracting(r -> r.kind().word())
                .containsExactly("resistance-outlier", "soh-below", "spread-trend");
        assertThat(acme.get(0).clear()).isEqualTo(1.3);
        assertThat(acme.get(1).ratedAh()).isEqualTo(280);
        assertThat(acme.get(0).pattern().matches("tenants/acme/plants/p1/racks/r1/packs/k1".split("/"))).isTrue();
    }

    @Test
    void refusesAnalyticsRulesWithoutAPackPatternARatedCapacityOrOnTheWrongSide() {
        assertThat(problems(
                "tenant acme",
                "alert a resistance-outlier plants/+/packs/+/cells/+/voltage > 1.5",
                "alert b resistance-outlier plants/#  > 1.5",
                "alert c soh-below plants/+/packs/+ < 0.8",
                "alert d soh-below plants/+/packs/+ > 0.8 rated 100",
                "alert e spread-trend plants/+/packs/+ < 1",
                "alert f resistance-outlier plants/+/packs/+ > 1.5 rated 100",
                "alert g soh-below plants/+/packs/+ < 0.8 rated -5"))
                .containsExactly(
                        FILE + ":2: field pattern: a resistance-outlier rule names packs, (level, id) pairs without a "
                                + "metric or '#', e.g. 'plants/+/racks/+/packs/+'",
                        FILE + ":3: field pattern: a resistance-outlier rule names packs, (level, id) pairs without a "
                                + "metric or '#', e.g. 'plants/+/racks/+/packs/+'",
                        FILE + ":4: field rated: a soh-below rule needs the packs' rated capacity in Ah, e.g. "
                                + "'rated 280'",
                        FILE + ":5: field comparison: a soh-below rule only takes '<'",
                        FILE + ":6: field comparison: a spread-trend rule only takes '>'",
                        FILE + ":7: field rated: only a soh-below rule has a rated capacity",
                        FILE + ":8: field rated: '-5' is not a positive number");
    }

    @Test
    void refusesDuplicateTenantsRulesAndWebhooks() {
        assertThat(problems(
                "tenant acme",
                "webhook https://a.example/x secret 0123456789abcdef",
                "alert hot threshold cells/+/temperature > 45",
                "alert hot threshold cells/+/temperature > 50",
                "webhook https://b.example/x secret 0123456789abcdef",
                "tenant acme",
                "tenant bad/id"))
                .containsExactly(
                        FILE + ":4: alert 'hot' is already defined in tenant 'acme' at line 3",
                        FILE + ":5: tenant 'acme' already has a webhook at line 2",
                        FILE + ":6: tenant 'acme' is already declared at line 1",
                        FILE + ":7: bad tenant id 'bad/id': use letters, digits, '_' and '-'");
    }

    @Test
    void patternsMatchLevelByLevelBelowTheTenant() {
        final SeriesPattern cells = SeriesPattern.of("plants/+/cells/+/voltage");
        assertThat(cells.matches("tenants/acme/plants/p1/cells/7/voltage".split("/"))).isTrue();
        assertThat(cells.matches("tenants/acme/plants/p1/cells/7/temperature".split("/"))).isFalse();
        assertThat(cells.matches("tenants/acme/plants/p1/cells/7/x/1/voltage".split("/"))).isFalse();
        assertThat(cells.matches("tenants/acme/plants/p1/voltage".split("/"))).isFalse();
        final SeriesPattern all = SeriesPattern.of("plants/p1/#");
        assertThat(all.matches("tenants/acme/plants/p1/cells/7/voltage".split("/"))).isTrue();
        assertThat(all.matches("tenants/acme/plants/p2/cells/7/voltage".split("/"))).isFalse();
    }
}
