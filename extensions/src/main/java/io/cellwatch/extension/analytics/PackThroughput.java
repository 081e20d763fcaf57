package io.cellwatch.extension.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * Charge and energy through a pack and its equivalent full cycles (Σ|I|·dt / (2 × capacity)), in total and per UTC
 * day for the last {@value #DAYS} days. Current and pack voltage are held from one sample to the next, as in
 * {@link PackCapacity}; a gap of more than {@link EstimatorSettings#maxGapMillis} counts nothing. Not thread-safe.
 */
public final class PackThroughput {

    /** Days kept. */
    static final int DAYS = 400;
    private static final double MS_PER_HOUR = 3_600_000.0;
    private static final long MS_PER_DAY = 86_400_000L;

    private final EstimatorSettings settings;
    private final DoubleSupplier capacityAh;
    private final TreeMap<Long, double[]> days = new TreeMap<>();
    private long currentTs = Long.MIN_VALUE;
    private double currentAmps = Double.NaN;
    private double packVolts = Double.NaN;
    private double ampHours;

    /** @param capacityAh the pack's capacity now (measured, else rated), NaN if unknown */
    public PackThroughput(final EstimatorSettings settings, final DoubleSupplier capacityAh) {
        this.settings = settings;
        this.capacityAh = capacityAh;
    }

    /** A sample of pack current, positive into the pack. */
    public void current(final long ts, final double amps) {
        if (ts <= currentTs || !Double.isFinite(amps)) {
            return;
        }
        if (Double.isFinite(currentAmps) && ts - currentTs <= settings.maxGapMillis()) {
            count(currentTs, ts);
        }
        currentTs = ts;
        currentAmps = amps;
    }

    /** The pack's voltage (its own reading, or the sum of its cells'). */
    public void packVoltage(final double volts) {
        if (Double.isFinite(volts)) {
            packVolts = volts;
        }
    }

    private void count(final long from, final long to) {
        // Split at midnight so each day gets its own part.
        long start = from;
        while (start < to) {
            final long day = Math.floorDiv(start, MS_PER_DAY);
            final long end = Math.min(to, (day + 1) * MS_PER_DAY);
            final double hours = (end - start) / MS_PER_HOUR;
            final double[] sums = days.computeIfAbsent(day, d -> new double[3]);
            final double ah = Math.abs(currentAmps) * hours;
            sums[0] += ah;
            ampHours += ah;
            if (Double.isFinite(packVolts)) {
                sums[currentAmps > 0 ? 1 : 2] += Math.abs(currentAmps) * packVolts * hours / 1_000;
            }
            start = end;
        }
        while (days.lastKey() - days.firstKey() >= DAYS) {
            days.pollFirstEntry();
        }
    }

    /** Σ|I|·dt since start, Ah. */
    public double ampHours() {
        return ampHours;
    }

    /** Equivalent full cycles since start, NaN without a capacity. */
    public double fullCycles() {
        return cycles(ampHours);
    }

    /** The days with any throughput, oldest first. */
    public List<DayThroughput> days() {
        final List<DayThroughput> out = new ArrayList<>(days.size());
        for (final Map.Entry<Long, double[]> day : days.entrySet()) {
            final double[] sums = day.getValue();
            out.add(new DayThroughput(day.getKey(), sums[0], sums[1], sums[2], cycles(sums[0])));
        }
        return out;
    }

    private double cycles(final double ah) {
        final double capacity = capacityAh.getAsDouble();
        return capacity > 0 ? ah / (2 * capacity) : Double.NaN;
    }
}
