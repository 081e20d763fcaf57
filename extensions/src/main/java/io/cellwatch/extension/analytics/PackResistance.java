package io.cellwatch.extension.analytics;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DC internal resistance of every cell of one pack by the pulse method: at each step of pack current of at least
 * {@link EstimatorSettings#minStepAmps} between two samples at most {@link EstimatorSettings#maxGapMillis} apart,
 * each cell's R = ΔV / ΔI from its voltage just before and just after; the estimate is the median of its latest
 * {@link EstimatorSettings#resistanceWindow} steps. The cells are in series and share the pack current; a cell that
 * is a parallel group reads as the group's resistance. Samples may arrive in any order within a few seconds; each
 * step waits for the cells' voltages after it. Not thread-safe: one analytics thread owns it.
 *
 * @param <C> how a cell is named (a series id, a path)
 */
public final class PackResistance<C> {

    /** Steps waiting for their cells' voltages afterwards. */
    private static final int OPEN_STEPS = 4;
    /** Cells needed before a ratio to the pack median means anything. */
    private static final int MIN_CELLS_FOR_RATIO = 3;
    /** Steps a cell needs before it counts towards the pack median. */
    private static final int MIN_STEPS_FOR_MEDIAN = 3;

    private final EstimatorSettings settings;
    private final int maxCells;
    private final Map<C, CellResistance> cells = new LinkedHashMap<>();
    private final ArrayDeque<CurrentStep> open = new ArrayDeque<>(OPEN_STEPS);
    private long currentTs = Long.MIN_VALUE;
    private double currentAmps = Double.NaN;
    private long steps;

    /** @param maxCells cells tracked at most; voltages of further cells are ignored */
    public PackResistance(final EstimatorSettings settings, final int maxCells) {
        this.settings = settings;
        this.maxCells = maxCells;
    }

    /** A sample of pack current, positive into the pack. */
    public void current(final long ts, final double amps) {
        if (ts <= currentTs || !Double.isFinite(amps)) {
            return;
        }
        if (Double.isFinite(currentAmps) && ts - currentTs <= settings.maxGapMillis()
                && Math.abs(amps - currentAmps) >= settings.minStepAmps()) {
            final CurrentStep step = new CurrentStep(currentTs, currentAmps, ts, amps);
            if (open.size() == OPEN_STEPS) {
                open.removeFirst();
            }
            open.addLast(step);
            steps++;
            // A cell's voltage after the step may have come before the current sample that shows it.
            for (final CellResistance cell : cells.values()) {
                cell.resolve(step, settings.maxGapMillis());
            }
        }
        currentTs = ts;
        currentAmps = amps;
        final Iterator<CurrentStep> oldest = open.iterator();
        while (oldest.hasNext() && ts - oldest.next().afterTs() > 2 * settings.maxGapMillis()) {
            oldest.remove();
        }
    }

    /** A sample of one cell's voltage. */
    public void voltage(final C cell, final long ts, final double volts) {
        if (!Double.isFinite(volts)) {
            return;
        }
        CellResistance state = cells.get(cell);
        if (state == null) {
            if (cells.size() >= maxCells) {
                return;
            }
            state = new CellResistance(settings.resistanceWindow());
            cells.put(cell, state);
        }
        state.voltage(ts, volts);
        for (final CurrentStep step : open) {
            state.resolve(step, settings.maxGapMillis());
        }
    }

    /** Steps of pack current seen so far. */
    public long steps() {
        return steps;
    }

    /** The median resistance of the pack's cells measured at least a few times, NaN with too few. */
    public double packMedianOhms() {
        final double[] measured = cells.values().stream().filter(c -> c.steps() >= MIN_STEPS_FOR_MEDIAN)
                .mapToDouble(CellResistance::ohms).sorted().toArray();
        return measured.length < MIN_CELLS_FOR_RATIO ? Double.NaN : RobustWindow.median(measured);
    }

    /** Every cell measured at least once, in the order first seen. */
    public Map<C, ResistanceEstimate> estimates() {
        final double packMedian = packMedianOhms();
        final Map<C, ResistanceEstimate> out = new LinkedHashMap<>();
        cells.forEach((cell, state) -> {
            if (state.steps() > 0) {
                out.put(cell, new ResistanceEstimate(state.ohms(), state.spreadOhms(), state.steps(),
                        state.ohms() / packMedian));
            }
        });
        return out;
    }
}
