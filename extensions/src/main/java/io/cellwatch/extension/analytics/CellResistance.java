package io.cellwatch.extension.analytics;

/**
 * One cell's side of the pulse method: its last few voltage samples (to find the voltage just before and just after
 * a step of pack current, whatever order the samples arrive in) and the window of its resistance estimates.
 * Memory: {@value #RECENT} samples (16 bytes each) and the window (8 bytes per step). Not thread-safe.
 */
final class CellResistance {

    /** Voltage samples kept: at 1 Hz, eight seconds around a step. */
    static final int RECENT = 8;

    private final long[] ts = new long[RECENT];
    private final double[] volts = new double[RECENT];
    private final RobustWindow window;
    private int size;
    private long resolvedUpTo = Long.MIN_VALUE;

    CellResistance(final int window) {
        this.window = new RobustWindow(window);
    }

    /** A voltage sample; one older than the newest held is dropped (a replay, or too late to place). */
    void voltage(final long at, final double value) {
        if (size > 0 && at <= ts[size - 1]) {
            return;
        }
        if (size == RECENT) {
            System.arraycopy(ts, 1, ts, 0, RECENT - 1);
            System.arraycopy(volts, 1, volts, 0, RECENT - 1);
            size--;
        }
        ts[size] = at;
        volts[size] = value;
        size++;
    }

    /**
     * Measures {@code step} if this cell has a voltage at most {@code maxGap} before it and one at most
     * {@code maxGap} after it, and has not measured it (or a later step) yet. R = ΔV / ΔI with current positive
     * into the pack: charging raises the terminal voltage by I·R.
     */
    void resolve(final CurrentStep step, final long maxGap) {
        if (step.afterTs() <= resolvedUpTo) {
            return;
        }
        int before = -1;
        int after = -1;
        for (int i = 0; i < size; i++) {
            if (ts[i] <= step.beforeTs() && step.beforeTs() - ts[i] <= maxGap) {
                before = i;
            }
            if (after < 0 && ts[i] >= step.afterTs() && ts[i] - step.afterTs() <= maxGap) {
                after = i;
            }
        }
        if (before >= 0 && after >= 0) {
            window.add((volts[after] - volts[before]) / step.deltaAmps());
            resolvedUpTo = step.afterTs();
        } else if (size > 0 && ts[size - 1] - step.afterTs() > maxGap) {
            // Its chance has passed: no sample will come for this step any more.
            resolvedUpTo = step.afterTs();
        }
    }

    double ohms() {
        return window.median();
    }

    double spreadOhms() {
        return window.spread();
    }

    long steps() {
        return window.added();
    }
}
