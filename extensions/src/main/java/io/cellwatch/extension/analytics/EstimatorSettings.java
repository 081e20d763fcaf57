package io.cellwatch.extension.analytics;

/**
 * The knobs of the battery estimators, with defaults for a rack of lithium-ion cells sampled about once a second.
 * Current is positive while charging (into the pack) throughout analytics; the ingest side turns a source's sign
 * around before samples get here.
 *
 * @param minStepAmps      the smallest change of pack current between two samples that counts as a step (pulse
 *                         method); smaller ones drown the voltage change in noise
 * @param maxGapMillis     samples further apart than this are not compared (a step) or integrated over (a gap
 *                         in current breaks the coulomb count)
 * @param resistanceWindow how many of each cell's latest steps its resistance is the median of
 * @param minSocSwing      how far (0–1) state of charge must move between two readings for a capacity estimate
 * @param capacityWindow   how many of a pack's latest capacity estimates its capacity is the median of
 * @param restAmps         below this magnitude the pack is at rest
 */
public record EstimatorSettings(double minStepAmps, long maxGapMillis, int resistanceWindow, double minSocSwing,
                                int capacityWindow, double restAmps) {

    /** Defaults: 20 A steps, 5 s gaps, 32 steps, 30 % swings, 8 capacity estimates, 2 A rest. */
    public static final EstimatorSettings DEFAULTS = new EstimatorSettings(20, 5_000, 32, 0.30, 8, 2);

    public EstimatorSettings {
        positive("min-step-amps", minStepAmps);
        positive("max-gap-millis", maxGapMillis);
        if (resistanceWindow < 3 || resistanceWindow > 1_024) {
            throw new IllegalArgumentException("resistance-window must be 3–1024, was " + resistanceWindow);
        }
        if (!(minSocSwing >= 0.05 && minSocSwing <= 1)) {
            throw new IllegalArgumentException("min-soc-swing must be 0.05–1, was " + minSocSwing);
        }
        if (capacityWindow < 1 || capacityWindow > 1_024) {
            throw new IllegalArgumentException("capacity-window must be 1–1024, was " + capacityWindow);
        }
        if (!(restAmps >= 0 && restAmps < minStepAmps)) {
            throw new IllegalArgumentException("rest-amps must be at least 0 and below min-step-amps, was " + restAmps);
        }
    }

    private static void positive(final String field, final double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a positive number, was " + value);
        }
    }
}
