package io.cellwatch.extension.analytics;

import io.cellwatch.extension.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WeakCellGaugesTest {

    private final Metrics metrics = Metrics.create();
    private final WeakCellGauges gauges = new WeakCellGauges(metrics);

    @Test
    void countsRankedAndWeakCellsPerTenant() {
        gauges.accept(List.of(pack("acme", "k1", 1.0, 1.6, 2.0), pack("acme", "k2", 1.0, 1.1),
                pack("nordvolt", "k7", 1.7)));

        assertThat(scrape()).contains("cellwatch_analytics_cells_ranked{tenant=\"acme\"} 5.0",
                "cellwatch_analytics_cells_weak{tenant=\"acme\"} 2.0",
                "cellwatch_analytics_cells_ranked{tenant=\"nordvolt\"} 1.0",
                "cellwatch_analytics_cells_weak{tenant=\"nordvolt\"} 1.0");
    }

    @Test
    void aPacksNewReportReplacesItsOldCountsInsteadOfAddingToThem() {
        gauges.accept(List.of(pack("acme", "k1", 1.0, 1.6, 2.0), pack("acme", "k2", 1.7)));
        gauges.accept(List.of(pack("acme", "k1", 1.0, 1.2, 1.1)));

        assertThat(scrape()).contains("cellwatch_analytics_cells_ranked{tenant=\"acme\"} 4.0",
                "cellwatch_analytics_cells_weak{tenant=\"acme\"} 1.0");
    }

    @Test
    void aCellWithTooFewStepsOrNoPackMedianIsNeitherRankedNorWeak() {
        final String pack = "tenants/acme/plants/p1/racks/r1/packs/k1";
        gauges.accept(List.of(report("acme", pack, List.of(
                new CellReport(pack + "/cells/1", new ResistanceEstimate(0.002, 0, CellReport.RANKED_STEPS - 1, 2.0), 0),
                new CellReport(pack + "/cells/2", new ResistanceEstimate(0.002, 0, 9, Double.NaN), 0),
                new CellReport(pack + "/cells/3", null, 0)))));

        assertThat(scrape()).contains("cellwatch_analytics_cells_ranked{tenant=\"acme\"} 0.0",
                "cellwatch_analytics_cells_weak{tenant=\"acme\"} 0.0");
    }

    /** A pack whose cells are ranked with the given ratios to its median. */
    private static PackReport pack(final String tenant, final String id, final double... ratios) {
        final String pack = "tenants/" + tenant + "/plants/p1/racks/r1/packs/" + id;
        final CellReport[] cells = new CellReport[ratios.length];
        for (int i = 0; i < ratios.length; i++) {
            cells[i] = new CellReport(pack + "/cells/" + (i + 1),
                    new ResistanceEstimate(0.001 * ratios[i], 0.00001, 12, ratios[i]), 0);
        }
        return report(tenant, pack, List.of(cells));
    }

    private static PackReport report(final String tenant, final String pack, final List<CellReport> cells) {
        return new PackReport(pack, tenant, 0, 0, 12, 0.001, Double.NaN, 0, 0, Double.NaN, Double.NaN, 0, cells,
                List.of(), List.of(), List.of());
    }

    private String scrape() {
        return new String(metrics.scrape(), StandardCharsets.UTF_8);
    }
}
