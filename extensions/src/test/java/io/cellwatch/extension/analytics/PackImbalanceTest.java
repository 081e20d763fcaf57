package io.cellwatch.extension.analytics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PackImbalanceTest {

    private static final long MINUTE = 60_000L;
    private static final long DAY = 1_440 * MINUTE;
    private static final int CELLS = 8;

    /**
     * Ten days, each a two-hour discharge then two hours at rest, a sample a minute. At rest the spread is
     * 5 mV + 1 mV per day; under load cell 3 sags 20 mV more than the rest.
     */
    private static PackImbalance<Integer> tenDays() {
        final PackImbalance<Integer> pack = new PackImbalance<>(EstimatorSettings.DEFAULTS, 64);
        for (int day = 0; day < 10; day++) {
            for (int minute = 0; minute < 240; minute++) {
                final long t = day * DAY + minute * MINUTE;
                final boolean discharging = minute < 120;
                final double spread = 0.005 + 0.001 * day;
                for (int c = 0; c < CELLS; c++) {
                    double volts = 3.3 + spread * c / (CELLS - 1);
                    if (discharging) {
                        volts -= 0.05 + (c == 3 ? 0.02 + spread : 0);
                    }
                    pack.voltage(c, t + c * 10, volts);
                }
                pack.current(t + 100, discharging ? -50 : 0);
            }
        }
        return pack;
    }

    @Test
    void theCellLowestAtTheEndOfEveryDischargeIsNamedWeakest() {
        final PackImbalance<Integer> pack = tenDays();
        assertThat(pack.dischargeEnds()).isEqualTo(10);
        assertThat(pack.weakest()).containsExactly(java.util.Map.entry(3, 10L));
    }

    @Test
    void theRestSpreadTrendIsOneMillivoltADay() {
        final PackImbalance<Integer> pack = tenDays();
        assertThat(pack.spreadTrendVoltsPerDay()).isCloseTo(0.001, within(1e-9));
        assertThat(pack.daily()).hasSize(10);
        assertThat(pack.daily().get(0).restVolts()).isCloseTo(0.005, within(1e-9));
        assertThat(pack.daily().get(0).restSamples()).isEqualTo(120);
        assertThat(pack.daily().get(0).loadSamples()).isEqualTo(120);
    }

    @Test
    void hourlyBucketsKeepTheLastTwoDays() {
        // Four hours of samples a day: the last 48 hours hold days 8 and 9.
        assertThat(tenDays().hourly()).hasSize(8).allSatisfy(h -> {
            assertThat(h.start()).isGreaterThanOrEqualTo(8 * DAY);
            assertThat(h.restSamples() + h.loadSamples()).isEqualTo(60);
        });
    }

    @Test
    void cellsWhoseLatestVoltageIsOlderThanTheGapAreLeftOut() {
        final PackImbalance<Integer> pack = new PackImbalance<>(EstimatorSettings.DEFAULTS, 64);
        pack.voltage(1, 0, 3.0);
        pack.voltage(2, 60_000, 3.30);
        pack.voltage(3, 60_000, 3.31);
        pack.current(60_000, 0);
        assertThat(pack.daily().get(0).restVolts()).isCloseTo(0.01, within(1e-9));
    }
}
