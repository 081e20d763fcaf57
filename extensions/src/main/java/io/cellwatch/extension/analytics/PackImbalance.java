package io.cellwatch.extension.analytics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pack's state of balance: at each current sample, the spread (max − min) of its cells' latest voltages that are
 * at most {@link EstimatorSettings#maxGapMillis} from it, averaged per hour (last {@value #HOURS}) and per UTC day
 * (last {@value #DAYS}) at rest and under load apart; the trend of the daily spread (least squares, volts per day);
 * and which cell sits lowest at the end of each discharge (the weakest, and how often). Not thread-safe.
 *
 * @param <C> how a cell is named
 */
public final class PackImbalance<C> {

    static final int HOURS = 48;
    static final int DAYS = 400;
    private static final long MS_PER_HOUR = 3_600_000L;
    private static final long MS_PER_DAY = 86_400_000L;

    /** The pack's mode at a current sample. */
    private enum Mode { REST, CHARGE, DISCHARGE }

    private final EstimatorSettings settings;
    private final int maxCells;
    private final Map<C, double[]> latest = new LinkedHashMap<>();
    private final TreeMap<Long, double[]> hours = new TreeMap<>();
    private final TreeMap<Long, double[]> days = new TreeMap<>();
    private final Map<C, Long> bottoms = new LinkedHashMap<>();
    private long currentTs = Long.MIN_VALUE;
    private Mode mode = Mode.REST;
    private C lowestWhileDischarging;
    private long dischargeEnds;

    /** @param maxCells cells tracked at most; voltages of further cells are ignored */
    public PackImbalance(final EstimatorSettings settings, final int maxCells) {
        this.settings = settings;
        this.maxCells = maxCells;
    }

    /** A sample of one cell's voltage. */
    public void voltage(final C cell, final long ts, final double volts) {
        if (!Double.isFinite(volts)) {
            return;
        }
        double[] held = latest.get(cell);
        if (held == null) {
            if (latest.size() >= maxCells) {
                return;
            }
            held = new double[]{Double.NEGATIVE_INFINITY, Double.NaN};
            latest.put(cell, held);
        }
        if (ts > held[0]) {
            held[0] = ts;
            held[1] = volts;
        }
    }

    /** A sample of pack current, positive into the pack: the moment the spread is taken. */
    public void current(final long ts, final double amps) {
        if (ts <= currentTs || !Double.isFinite(amps)) {
            return;
        }
        currentTs = ts;
        final Mode now = amps >= settings.restAmps() ? Mode.CHARGE
                : amps <= -settings.restAmps() ? Mode.DISCHARGE : Mode.REST;
        if (mode == Mode.DISCHARGE && now != Mode.DISCHARGE && lowestWhileDischarging != null) {
            bottoms.merge(lowestWhileDischarging, 1L, Long::sum);
            dischargeEnds++;
        }
        mode = now;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        C lowest = null;
        int cells = 0;
        for (final Map.Entry<C, double[]> cell : latest.entrySet()) {
            final double[] held = cell.getValue();
            if (Math.abs(held[0] - ts) <= settings.maxGapMillis()) {
                cells++;
                max = Math.max(max, held[1]);
                if (held[1] < min) {
                    min = held[1];
                    lowest = cell.getKey();
                }
            }
        }
        if (now == Mode.DISCHARGE) {
            lowestWhileDischarging = lowest;
        }
        if (cells < 2) {
            return;
        }
        add(hours, Math.floorDiv(ts, MS_PER_HOUR), HOURS, now, max - min);
        add(days, Math.floorDiv(ts, MS_PER_DAY), DAYS, now, max - min);
    }

    private static void add(final TreeMap<Long, double[]> buckets, final long key, final int keep, final Mode mode,
                            final double spread) {
        final double[] sums = buckets.computeIfAbsent(key, k -> new double[4]);
        final int at = mode == Mode.REST ? 0 : 2;
        sums[at] += spread;
        sums[at + 1]++;
        // The last `keep` hours or days of time, not the last `keep` buckets with samples.
        while (buckets.lastKey() - buckets.firstKey() >= keep) {
            buckets.pollFirstEntry();
        }
    }

    /** Hourly spreads, oldest first. */
    public List<SpreadBucket> hourly() {
        return buckets(hours, MS_PER_HOUR);
    }

    /** Daily spreads, oldest first. */
    public List<SpreadBucket> daily() {
        return buckets(days, MS_PER_DAY);
    }

    private static List<SpreadBucket> buckets(final TreeMap<Long, double[]> buckets, final long width) {
        final List<SpreadBucket> out = new ArrayList<>(buckets.size());
        buckets.forEach((key, sums) -> out.add(new SpreadBucket(key * width, sums[0] / sums[1], (long) sums[1],
                sums[2] / sums[3], (long) sums[3])));
        return out;
    }

    /**
     * The trend of the daily spread in volts per day (least squares over the days kept; the rest spread where a day
     * has one, else its load spread), NaN with fewer than two days.
     */
    public double spreadTrendVoltsPerDay() {
        double n = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXX = 0;
        double sumXY = 0;
        for (final Map.Entry<Long, double[]> day : days.entrySet()) {
            final double[] sums = day.getValue();
            final double y = sums[1] > 0 ? sums[0] / sums[1] : sums[2] / sums[3];
            final double x = day.getKey();
            n++;
            sumX += x;
            sumY += y;
            sumXX += x * x;
            sumXY += x * y;
        }
        final double denominator = n * sumXX - sumX * sumX;
        return n < 2 || denominator == 0 ? Double.NaN : (n * sumXY - sumX * sumY) / denominator;
    }

    /** How often each cell was the lowest at the end of a discharge, most often first. */
    public Map<C, Long> weakest() {
        final Map<C, Long> out = new LinkedHashMap<>();
        bottoms.entrySet().stream().sorted(Map.Entry.<C, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Discharges that ended (the pack went from discharging to rest or charge). */
    public long dischargeEnds() {
        return dischargeEnds;
    }
}
