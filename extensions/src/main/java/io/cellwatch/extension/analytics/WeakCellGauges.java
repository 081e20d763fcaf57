package io.cellwatch.extension.analytics;

import io.cellwatch.extension.metrics.Metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The analytics results in the metrics, per tenant: {@code cellwatch_analytics_cells_ranked} (cells whose resistance
 * is measured well enough to rank) and {@code cellwatch_analytics_cells_weak} (of them, those at or above
 * {@link CellReport#WEAK_RATIO} times their pack's median). Kept incrementally from each round of fresh reports (a
 * pack's old counts out, its new ones in), so a round costs its own packs' cells, not the fleet's. The tenant label is
 * bounded by the ACL file: a pack's tenant is one its gateway may publish to. Rounds arrive on the analytics thread;
 * scrapes read an immutable copy.
 */
public final class WeakCellGauges implements Consumer<List<PackReport>> {

    /** Ranked and weak cells of one pack or one tenant. */
    private record Counts(long ranked, long weak) {

        Counts plus(final Counts other, final int sign) {
            return new Counts(ranked + sign * other.ranked, weak + sign * other.weak);
        }
    }

    // Analytics thread only.
    private final Map<String, Counts> byPack = new HashMap<>();
    private final Map<String, Counts> byTenant = new HashMap<>();
    private volatile Map<String, Long> ranked = Map.of();
    private volatile Map<String, Long> weak = Map.of();

    public WeakCellGauges(final Metrics metrics) {
        metrics.gauge("cellwatch_analytics_cells_ranked",
                "Cells whose resistance rests on enough current steps to rank them, per tenant", "tenant", () -> ranked);
        metrics.gauge("cellwatch_analytics_cells_weak",
                "Ranked cells at or above 1.5 x their pack's median resistance, per tenant", "tenant", () -> weak);
    }

    /** Takes a round of fresh reports (the analytics thread). */
    @Override
    public void accept(final List<PackReport> round) {
        for (final PackReport report : round) {
            long rankedCells = 0;
            long weakCells = 0;
            for (final CellReport cell : report.cells()) {
                if (cell.ranked()) {
                    rankedCells++;
                    if (cell.weak()) {
                        weakCells++;
                    }
                }
            }
            final Counts now = new Counts(rankedCells, weakCells);
            final Counts before = byPack.put(report.pack(), now);
            final Counts tenant = byTenant.getOrDefault(report.tenant(), new Counts(0, 0)).plus(now, 1);
            byTenant.put(report.tenant(), before == null ? tenant : tenant.plus(before, -1));
        }
        final Map<String, Long> nextRanked = new HashMap<>();
        final Map<String, Long> nextWeak = new HashMap<>();
        byTenant.forEach((tenant, counts) -> {
            nextRanked.put(tenant, counts.ranked());
            nextWeak.put(tenant, counts.weak());
        });
        ranked = Map.copyOf(nextRanked);
        weak = Map.copyOf(nextWeak);
    }
}
