package io.cellwatch.extension.analytics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PackResistanceTest {

    private static final int CELLS = 16;
    private static final long PERIOD = 1_000;
    /** Pack current levels in turn, each held 30 s: every change is a step of at least 30 A. */
    private static final double[] LEVELS = {0, -80, 0, 60, -100, -30};

    /** One sample as the analytics thread gets it: cell -1 is the pack current. */
    private record Event(long arrival, int cell, long ts, double value) {
    }

    @Test
    void everyCellsResistanceIsWithinFivePercentOfTruthAfterTwentyStepsOfNoisyMisalignedSamples() {
        final Random random = new Random(7);
        final double[] ohms = new double[CELLS];
        for (int c = 0; c < CELLS; c++) {
            ohms[c] = 0.001 * (0.8 + 0.4 * random.nextDouble());
        }
        ohms[4] = 0.002;
        ohms[11] = 0.0021;
        final PackResistance<Integer> pack = new PackResistance<>(EstimatorSettings.DEFAULTS, 64);

        feed(pack, samples(random, ohms, 20 * 30 + 5));

        assertThat(pack.steps()).isEqualTo(20);
        final Map<Integer, ResistanceEstimate> estimates = pack.estimates();
        assertThat(estimates).hasSize(CELLS);
        for (int c = 0; c < CELLS; c++) {
            final ResistanceEstimate estimate = estimates.get(c);
            assertThat(estimate.steps()).as("steps measured on cell %d", c).isEqualTo(20);
            assertThat(estimate.ohms()).as("cell %d", c).isCloseTo(ohms[c], within(0.05 * ohms[c]));
        }
    }

    @Test
    void theTwoWeakCellsStandOutAtAboutTwiceThePackMedian() {
        final Random random = new Random(11);
        final double[] ohms = new double[CELLS];
        java.util.Arrays.fill(ohms, 0.001);
        ohms[4] = 0.002;
        ohms[11] = 0.0021;
        final PackResistance<Integer> pack = new PackResistance<>(EstimatorSettings.DEFAULTS, 64);

        feed(pack, samples(random, ohms, 20 * 30 + 5));

        final List<Integer> ranking = pack.estimates().entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> -e.getValue().ratioToPackMedian()))
                .map(Map.Entry::getKey).toList();
        assertThat(ranking.subList(0, 2)).containsExactly(11, 4);
        assertThat(pack.estimates().get(11).ratioToPackMedian()).isCloseTo(2.1, within(0.1));
        assertThat(pack.estimates().get(0).ratioToPackMedian()).isCloseTo(1.0, within(0.05));
    }

    @Test
    void changesBelowTheStepThresholdMeasureNothing() {
        final PackResistance<String> pack = new PackResistance<>(EstimatorSettings.DEFAULTS, 64);
        for (int s = 0; s < 100; s++) {
            final double amps = s % 2 == 0 ? 0 : 19.9;
            pack.current(s * PERIOD, amps);
            pack.voltage("c1", s * PERIOD, 3.3 + amps * 0.001);
        }
        assertThat(pack.steps()).isZero();
        assertThat(pack.estimates()).isEmpty();
    }

    @Test
    void samplesFurtherApartThanTheGapAreNotAStep() {
        final PackResistance<String> pack = new PackResistance<>(EstimatorSettings.DEFAULTS, 64);
        pack.current(0, 0);
        pack.voltage("c1", 0, 3.3);
        pack.current(6_000, 100);
        pack.voltage("c1", 6_000, 3.4);
        assertThat(pack.steps()).isZero();
    }

    @Test
    void cellsPastTheLimitAreNotTracked() {
        final PackResistance<Integer> pack = new PackResistance<>(EstimatorSettings.DEFAULTS, 2);
        for (int c = 0; c < 5; c++) {
            pack.voltage(c, 0, 3.3);
        }
        pack.current(0, 0);
        pack.current(1_000, 50);
        for (int c = 0; c < 5; c++) {
            pack.voltage(c, 1_000, 3.35);
        }
        assertThat(pack.estimates()).containsOnlyKeys(0, 1);
    }

    /**
     * A pack of series cells: V = OCV(soc) + I·R (current into the pack), current held at each level for 30 s and
     * changed half-way between two of its samples; each cell's voltage sampled ±200 ms off the current's sample
     * times with 0.5 mV noise and read to the millivolt; every sample arrives up to 300 ms late, so series interleave.
     */
    private static List<Event> samples(final Random random, final double[] ohms, final int seconds) {
        final List<Event> events = new ArrayList<>();
        double soc = 0.6;
        for (int s = 0; s < seconds; s++) {
            final long t = s * PERIOD;
            final double amps = level(t);
            events.add(new Event(t + random.nextInt(300), -1, t, amps + random.nextGaussian() * 0.1));
            for (int c = 0; c < ohms.length; c++) {
                final long at = t + random.nextInt(401) - 200;
                final double volts = 3.0 + 1.15 * soc + level(at) * ohms[c] + random.nextGaussian() * 0.0005;
                events.add(new Event(at + random.nextInt(300), c, at, Math.round(volts * 1000) / 1000.0));
            }
            soc += level(t) / 3600 / 100;
        }
        events.sort(Comparator.comparingLong(Event::arrival));
        return events;
    }

    /** The true current at {@code t}: it changes at 500 ms past a sample second. */
    private static double level(final long t) {
        return t < 500 ? LEVELS[0] : LEVELS[(int) ((t - 500) / (30 * PERIOD)) % LEVELS.length];
    }

    private static void feed(final PackResistance<Integer> pack, final List<Event> events) {
        for (final Event e : events) {
            if (e.cell() < 0) {
                pack.current(e.ts(), e.value());
            } else {
                pack.voltage(e.cell(), e.ts(), e.value());
            }
        }
    }
}
