package io.cellwatch.extension.analytics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PackThroughputTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    /** 2026-12-01 23:00 UTC: the profile crosses midnight. */
    private static final long START = 20_423 * DAY + 23 * HOUR;

    @Test
    void equivalentFullCyclesAndEnergyAreExactOnAKnownProfile() {
        final PackThroughput pack = new PackThroughput(EstimatorSettings.DEFAULTS, () -> 100);
        pack.packVoltage(50);
        long t = START;
        // Charge 50 A for 2 h (100 Ah), discharge 100 A for 1 h (100 Ah), rest 1 h: one full cycle.
        t = hold(pack, t, 50, 2 * HOUR);
        t = hold(pack, t, -100, HOUR);
        hold(pack, t, 0, HOUR);

        assertThat(pack.ampHours()).isCloseTo(200, within(1e-9));
        assertThat(pack.fullCycles()).isCloseTo(1.0, within(1e-12));
        final List<DayThroughput> days = pack.days();
        assertThat(days).extracting(DayThroughput::day).containsExactly(20_423L, 20_424L);
        // The first hour (23:00–24:00) is on the first day: 50 Ah in, 2.5 kWh.
        assertThat(days.get(0).ampHours()).isCloseTo(50, within(1e-9));
        assertThat(days.get(0).kWhIn()).isCloseTo(2.5, within(1e-9));
        assertThat(days.get(0).kWhOut()).isZero();
        assertThat(days.get(0).fullCycles()).isCloseTo(0.25, within(1e-12));
        assertThat(days.get(1).ampHours()).isCloseTo(150, within(1e-9));
        assertThat(days.get(1).kWhIn()).isCloseTo(2.5, within(1e-9));
        assertThat(days.get(1).kWhOut()).isCloseTo(5, within(1e-9));
    }

    @Test
    void aGapCountsNothing() {
        final PackThroughput pack = new PackThroughput(EstimatorSettings.DEFAULTS, () -> 100);
        pack.current(0, 100);
        pack.current(HOUR, 100);
        assertThat(pack.ampHours()).isZero();
    }

    @Test
    void withoutACapacityCyclesAreUnknown() {
        final PackThroughput pack = new PackThroughput(EstimatorSettings.DEFAULTS, () -> Double.NaN);
        pack.current(hold(pack, 0, 10, HOUR), 0);
        assertThat(pack.ampHours()).isCloseTo(10, within(1e-9));
        assertThat(pack.fullCycles()).isNaN();
    }

    /** Samples {@code amps} every second for {@code duration}; returns the time after. */
    private static long hold(final PackThroughput pack, final long from, final double amps, final long duration) {
        long t = from;
        for (; t < from + duration; t += 1_000) {
            pack.current(t, amps);
        }
        return t;
    }
}
