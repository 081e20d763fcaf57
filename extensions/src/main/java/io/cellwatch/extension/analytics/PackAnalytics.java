package io.cellwatch.extension.analytics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every estimator of one pack, fed its samples in arrival order. Not thread-safe: the analytics thread owns it.
 */
final class PackAnalytics {

    private final String pack;
    private final PackResistance<String> resistance;
    private final PackCapacity capacity;
    private final PackThroughput throughput;
    private final PackImbalance<String> imbalance;
    private final Set<String> cells = new LinkedHashSet<>();
    private final int maxCells;
    private boolean changed;
    private long samples;

    PackAnalytics(final String pack, final EstimatorSettings settings, final int maxCells) {
        this.pack = pack;
        this.maxCells = maxCells;
        this.resistance = new PackResistance<>(settings, maxCells);
        this.capacity = new PackCapacity(settings);
        this.throughput = new PackThroughput(settings, capacity::capacityAh);
        this.imbalance = new PackImbalance<>(settings, maxCells);
    }

    void take(final SeriesRole role, final long ts, final double value) {
        switch (role.kind()) {
            case CELL_VOLTAGE -> {
                if (cells.size() < maxCells) {
                    cells.add(role.cell());
                }
                resistance.voltage(role.cell(), ts, value);
                imbalance.voltage(role.cell(), ts, value);
            }
            case PACK_CURRENT -> {
                resistance.current(ts, value);
                capacity.current(ts, value);
                throughput.current(ts, value);
                imbalance.current(ts, value);
            }
            case PACK_SOC -> capacity.soc(ts, value);
            case PACK_VOLTAGE -> throughput.packVoltage(value);
            default -> {
                return;
            }
        }
        changed = true;
        samples++;
    }

    /** Whether a sample came since the last {@link #report}. */
    boolean changed() {
        return changed;
    }

    PackReport report(final long now) {
        changed = false;
        final Map<String, ResistanceEstimate> estimates = resistance.estimates();
        final Map<String, Long> bottoms = imbalance.weakest();
        final List<CellReport> out = new ArrayList<>(cells.size());
        for (final String cell : cells) {
            out.add(new CellReport(cell, estimates.get(cell), bottoms.getOrDefault(cell, 0L)));
        }
        return new PackReport(pack, SeriesRole.tenant(pack), now, samples, resistance.steps(), resistance.packMedianOhms(),
                capacity.capacityAh(), capacity.estimates(), throughput.ampHours(), throughput.fullCycles(),
                imbalance.spreadTrendVoltsPerDay(), imbalance.dischargeEnds(), out, throughput.days(),
                imbalance.daily(), imbalance.hourly());
    }
}
