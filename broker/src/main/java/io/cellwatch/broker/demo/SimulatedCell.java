package io.cellwatch.broker.demo;

import java.util.Random;

/**
 * A lithium-ion cell in a pack that cycles between charge and discharge: state of charge drifts, voltage follows
 * the open-circuit curve plus IR drop, temperature rises with current. Good enough to look alive, not a cell model.
 * Not thread-safe: one gateway thread owns its cells.
 */
final class SimulatedCell {

    private static final double CAPACITY_AH = 100;
    private static final double RESISTANCE_OHM = 0.0008;

    private final Random random;
    private final double ageFactor;
    private double soc;
    private double temperature;
    private double lastCurrent;

    SimulatedCell(final Random random) {
        this.random = random;
        this.ageFactor = 0.97 + random.nextDouble() * 0.03;
        this.soc = 0.35 + random.nextDouble() * 0.5;
        this.temperature = 24 + random.nextDouble() * 3;
    }

    /** Advances one second at {@code currentAmps} (positive = charging). */
    void step(final double currentAmps, final double ambient) {
        soc = Math.max(0.02, Math.min(0.99, soc + currentAmps / (CAPACITY_AH * ageFactor * 3600)));
        final double heating = Math.abs(currentAmps) * Math.abs(currentAmps) * RESISTANCE_OHM * 0.02;
        temperature += heating - (temperature - ambient) * 0.01 + random.nextGaussian() * 0.02;
        lastCurrent = currentAmps;
    }

    double soc() {
        return soc;
    }

    double voltage() {
        final double openCircuit = 3.0 + 1.15 * soc - 0.08 * Math.exp(-25 * soc) + 0.05 * Math.pow(soc, 8);
        return openCircuit + lastCurrent * RESISTANCE_OHM + random.nextGaussian() * 0.002;
    }

    double temperature() {
        return temperature;
    }
}
