package io.cellwatch.edge.source;

import java.util.Arrays;
import java.util.Random;

/**
 * A simulated pack of series cells whose figures an engineer can check: each cell has its own internal resistance,
 * capacity and state of charge (a few planted weak ones: twice the resistance, 85 % of the capacity), terminal
 * voltage V = OCV(SoC) + I·R with current positive into the pack, a temperature warmed by I²R, and a pack current that
 * steps between charge, discharge and rest every {@value #STEP_SECONDS} steps, balanced so the pack neither drains
 * nor fills over a cycle. One {@link #advance} is one simulated second. Deterministic for a seed; not thread-safe.
 */
public final class PackPhysics {

    /** Seconds each current level is held. */
    public static final int STEP_SECONDS = 30;
    /** Current levels in turn, A; they sum to zero, and every change is a step of at least 30 A. */
    private static final double[] LEVELS = {0, -80, 0, 60, -100, -30, 0, 150};
    private static final double NOMINAL_OHMS = 0.001;
    private static final double WEAK_FACTOR = 2.0;
    private static final double AMBIENT = 24;

    private final double[] ohms;
    private final double[] capacityAh;
    private final double[] soc;
    private final double[] temperature;
    private final Random noise;
    private double current;

    /**
     * @param cells      cells in series
     * @param capacityAh the healthy cells' capacity
     * @param socAt      the cells' state of charge at the start, 0–1 (each within ±2 % of it)
     * @param weak       indices (0-based) of the planted weak cells
     */
    public PackPhysics(final int cells, final double capacityAh, final double socAt, final long seed,
                       final int... weak) {
        final Random random = new Random(seed);
        this.noise = new Random(seed + 1);
        this.ohms = new double[cells];
        this.capacityAh = new double[cells];
        this.soc = new double[cells];
        this.temperature = new double[cells];
        for (int c = 0; c < cells; c++) {
            ohms[c] = NOMINAL_OHMS * (0.9 + 0.2 * random.nextDouble());
            this.capacityAh[c] = capacityAh * (0.98 + 0.04 * random.nextDouble());
            soc[c] = socAt + (random.nextDouble() - 0.5) * 0.04;
            temperature[c] = AMBIENT + random.nextDouble();
        }
        for (final int c : weak) {
            ohms[c] = NOMINAL_OHMS * WEAK_FACTOR;
            this.capacityAh[c] = capacityAh * 0.85;
        }
    }

    /** Moves to second {@code second} of the profile (call once per second, in order) and returns its current. */
    public double advance(final long second) {
        return drive(LEVELS[(int) (second / STEP_SECONDS % LEVELS.length)]);
    }

    /** Moves one second on with the pack current held at {@code amps} (positive charging); returns it. */
    public double drive(final double amps) {
        current = amps;
        for (int c = 0; c < soc.length; c++) {
            soc[c] = Math.max(0.02, Math.min(0.99, soc[c] + current / 3_600 / capacityAh[c]));
            // Warmed by I²R through a thermal resistance, cooled towards the ambient.
            temperature[c] += (current * current * ohms[c] * 0.05 - (temperature[c] - AMBIENT)) * 0.01
                    + noise.nextGaussian() * 0.01;
        }
        return current;
    }

    /** The pack current now, A, positive into the pack. */
    public double current() {
        return current;
    }

    /** Cell {@code c}'s terminal voltage now, with 0.5 mV of noise, read to the millivolt. */
    public double cellVolts(final int c) {
        final double volts = 3.0 + 1.15 * soc[c] + current * ohms[c] + noise.nextGaussian() * 0.0005;
        return Math.round(volts * 1_000) / 1_000.0;
    }

    /** Cell {@code c}'s temperature now, °C, read to 0.01. */
    public double cellTemperature(final int c) {
        return Math.round(temperature[c] * 100) / 100.0;
    }

    /** Cell {@code c}'s state of charge now, 0–1, read to 0.0001. */
    public double cellSoc(final int c) {
        return Math.round(soc[c] * 10_000) / 10_000.0;
    }

    /** The pack's state of charge: the mean of its cells', read to 0.0001. */
    public double packSoc() {
        return Math.round(Arrays.stream(soc).average().orElse(Double.NaN) * 10_000) / 10_000.0;
    }

    public int cells() {
        return ohms.length;
    }

    /** Cell {@code c}'s true resistance, Ω. */
    public double ohms(final int c) {
        return ohms[c];
    }
}
