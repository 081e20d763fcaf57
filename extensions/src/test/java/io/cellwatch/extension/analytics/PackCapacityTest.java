package io.cellwatch.extension.analytics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PackCapacityTest {

    private static final double TRUE_AH = 92;
    private static final double RATED_AH = 100;

    @Test
    void capacityIsWithinThreePercentAfterOneDischargeFromNinetyToThirtyPercent() {
        final Random random = new Random(3);
        final PackCapacity pack = new PackCapacity(EstimatorSettings.DEFAULTS);
        double soc = 0.90;
        long t = 0;
        // Half a C of discharge with current noise; SoC read to 0.1 % with 0.2 % noise, ±200 ms off the current's
        // sample times, sometimes before the current sample it belongs to.
        while (soc > 0.30) {
            final double amps = -46 + random.nextGaussian() * 0.3;
            final long socAt = t + random.nextInt(401) - 200;
            if (random.nextBoolean()) {
                pack.current(t, amps);
                pack.soc(socAt, Math.round((soc + random.nextGaussian() * 0.002) * 1000) / 1000.0);
            } else {
                pack.soc(socAt, Math.round((soc + random.nextGaussian() * 0.002) * 1000) / 1000.0);
                pack.current(t, amps);
            }
            soc += amps / 3600 / TRUE_AH;
            t += 1_000;
        }
        // A swing of 60 %: one estimate at 30 % down, a second if the last reading is 30 % below that one.
        assertThat(pack.estimates()).isBetween(1L, 2L);
        assertThat(pack.capacityAh()).isCloseTo(TRUE_AH, within(0.03 * TRUE_AH));
        assertThat(pack.stateOfHealth(RATED_AH)).isCloseTo(0.92, within(0.03));
    }

    @Test
    void aGapInCurrentDropsTheCountBegun() {
        final PackCapacity pack = new PackCapacity(EstimatorSettings.DEFAULTS);
        pack.current(0, -50);
        pack.soc(0, 0.9);
        // Nothing known for a minute: the 0.9 reading cannot be paired with anything after it.
        pack.current(60_000, -50);
        pack.soc(60_000, 0.5);
        pack.current(61_000, -50);
        pack.soc(61_000, 0.4);
        assertThat(pack.estimates()).isZero();
        assertThat(pack.capacityAh()).isNaN();
    }

    @Test
    void aSwingBelowTheMinimumEstimatesNothing() {
        final PackCapacity pack = new PackCapacity(EstimatorSettings.DEFAULTS);
        double soc = 0.5;
        for (long t = 0; t < 3_600_000; t += 1_000) {
            pack.current(t, -25);
            pack.soc(t, soc);
            soc -= 25.0 / 3600 / 100;
        }
        // 25 Ah of 100: a 25 % swing.
        assertThat(pack.estimates()).isZero();
    }
}
