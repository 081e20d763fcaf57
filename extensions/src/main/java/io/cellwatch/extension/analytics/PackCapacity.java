package io.cellwatch.extension.analytics;

/**
 * A pack's capacity by coulomb counting: the charge that flowed between two state-of-charge readings at least
 * {@link EstimatorSettings#minSocSwing} apart, divided by their difference (Ah per unit of SoC); the estimate is the
 * median of the latest {@link EstimatorSettings#capacityWindow} such swings. Current is held from one sample to the
 * next (exact for a current that changes at sample times); a gap of more than
 * {@link EstimatorSettings#maxGapMillis} drops the count begun. Not thread-safe.
 */
public final class PackCapacity {

    private static final double MS_PER_HOUR = 3_600_000.0;

    private final EstimatorSettings settings;
    private final RobustWindow window;
    private long currentTs = Long.MIN_VALUE;
    private double currentAmps = Double.NaN;
    /** The sample before the latest: its current flowed from {@code previousTs} to {@code currentTs}. */
    private long previousTs = Long.MIN_VALUE;
    private double previousAmps = Double.NaN;
    /** Charge counted since the count began, Ah, up to {@code currentTs}. */
    private double ampHours;
    private boolean counting;
    private double anchorSoc = Double.NaN;
    private double anchorAmpHours;

    public PackCapacity(final EstimatorSettings settings) {
        this.settings = settings;
        this.window = new RobustWindow(settings.capacityWindow());
    }

    /** A sample of pack current, positive into the pack. */
    public void current(final long ts, final double amps) {
        if (ts <= currentTs || !Double.isFinite(amps)) {
            return;
        }
        if (counting && ts - currentTs <= settings.maxGapMillis()) {
            ampHours += currentAmps * (ts - currentTs) / MS_PER_HOUR;
            previousTs = currentTs;
            previousAmps = currentAmps;
        } else {
            // First sample, or after a gap nobody knows what flowed in: start again.
            counting = true;
            ampHours = 0;
            anchorSoc = Double.NaN;
            previousTs = Long.MIN_VALUE;
        }
        currentTs = ts;
        currentAmps = amps;
    }

    /** A reading of the pack's state of charge, 0–1. */
    public void soc(final long ts, final double soc) {
        if (!counting || !Double.isFinite(soc)) {
            return;
        }
        final double charge = chargeAt(ts);
        if (Double.isNaN(charge)) {
            return;
        }
        if (Double.isNaN(anchorSoc)) {
            anchorSoc = soc;
            anchorAmpHours = charge;
            return;
        }
        final double swing = soc - anchorSoc;
        if (Math.abs(swing) >= settings.minSocSwing()) {
            final double capacity = (charge - anchorAmpHours) / swing;
            if (capacity > 0) {
                window.add(capacity);
            }
            anchorSoc = soc;
            anchorAmpHours = charge;
        }
    }

    /** The charge counted up to {@code ts}, which may lie a sample before or a gap after the latest; else NaN. */
    private double chargeAt(final long ts) {
        if (ts >= currentTs) {
            return ts - currentTs <= settings.maxGapMillis()
                    ? ampHours + currentAmps * (ts - currentTs) / MS_PER_HOUR : Double.NaN;
        }
        return ts >= previousTs && previousTs != Long.MIN_VALUE
                ? ampHours - previousAmps * (currentTs - ts) / MS_PER_HOUR : Double.NaN;
    }

    /** The capacity in Ah, NaN before the first swing. */
    public double capacityAh() {
        return window.median();
    }

    /** How many swings were measured. */
    public long estimates() {
        return window.added();
    }

    /** State of health: capacity over the rated capacity, NaN if either is unknown. */
    public double stateOfHealth(final double ratedAh) {
        return ratedAh > 0 ? capacityAh() / ratedAh : Double.NaN;
    }
}
