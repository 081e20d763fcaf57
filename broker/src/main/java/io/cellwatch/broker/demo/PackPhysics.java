package io.cellwatch.broker.demo;

import java.util.Arrays;
import java.util.Random;

/**
 * A simulated pack of series cells whose figures an engineer can check: each cell has its own internal resistance
 * and capacity (a few planted weak ones), terminal voltage V = OCV(SoC) + I·R with current positive into the pack,
 * and a pack current that steps between charge, discharge and rest every {@value #STEP_SECONDS} s. Deterministic for
 * a seed; not thread-safe.
 */
public final class PackPhysics {

    /** Seconds each current level is held. */
    public static final int STEP_SECONDS = 30;
    /** Current levels in turn, A: every change is a step of at least 30 A. */
    private static final double[] LEVELS = {0, -80, 0, 60, -100, -30, 0, 90};
    private static final double NOMINAL_OHMS = 0.001;
    private static final double WEAK_FACTOR = 2.0;

    private final double[] ohms;
    private final double[] capacityAh;
    private final double[] soc;
    private final Random noise;
    private double current;

    /**
     * @param cells      cells in series
     * @param capacityAh the healthy cells' capacity
     * @param weak       indices (0-based) of cells with twice the nominal resistance and 85 % of the capacity
     */
    public PackPhysics(final int cells, final double capacityAh, final long seed, final int... weak) {
        final Random random = new Random(seed);
        this.noise = new Random(seed + 1);
        this.ohms = new double[cells];
        this.capacityAh = new double[cells];
        this.soc = new double[cells];
        for (int c = 0; c < cells; c++) {
            ohms[c] = NOMINAL_OHMS * (0.9 + 0.2 * random.nextDouble());
            this.capacityAh[c] = capacityAh * (0.98 + 0.04 * random.nextDouble());
            soc[c] = 0.6;
        }
        for (final int c : weak) {
            ohms[c] = NOMINAL_OHMS * WEAK_FACTOR;
            this.capacityAh[c] = capacityAh * 0.85;
        }
    }

    /** Moves to second {@code second} of the profile (call once per second, in order) and returns its current. */
    public double advance(final long second) {
        current = LEVELS[(int) (second / STEP_SECONDS % LEVELS.length)];
        for (int c = 0; c < soc.length; c++) {
            soc[c] = Math.max(0.02, Math.min(0.99, soc[c] + current / 3_600 / capacityAh[c]));
        }
        return current;
    }

    /** Cell {@code c}'s terminal voltage now, with 0.5 mV of noise, read to the millivolt. */
    public double cellVolts(final int c) {
        final double volts = 3.0 + 1.15 * soc[c] + current * ohms[c] + noise.nextGaussian() * 0.0005;
        return Math.round(volts * 1_000) / 1_000.0;
    }

    /** The pack's state of charge: the mean of its cells'. */
    public double packSoc() {
        return Arrays.stream(soc).average().orElse(Double.NaN);
    }

    public int cells() {
        return ohms.length;
    }

    /** Cell {@code c}'s true resistance, Ω. */
    public double ohms(final int c) {
        return ohms[c];
    }
}
