package io.cellwatch.bench;

import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.history.HistoryDatabase;
import io.cellwatch.extension.history.HistoryQuery;
import io.cellwatch.extension.history.HistoryResult;
import io.cellwatch.extension.history.HistoryWriter;
import io.cellwatch.extension.wal.WalEntry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The query phase, on its own DuckDB file: loads {@code hours} of history of one pack (96 cells × 3 metrics = 288
 * series) at one sample per {@code intervalMs} per series, ending now, through {@link HistoryWriter#write} in big
 * batches of node publishes (3 samples each), then times {@link HistoryQuery} for all 288 series at once.
 * Single-threaded.
 */
final class QueryBenchmark {

    private static final int GATEWAY_ID = 0;

    /** What the load wrote and how long it took; row counts as DuckDB reports them afterwards. */
    record Load(long publishes, long samples, double seconds, long sampleRows, long minuteRows, long hourRows) {

        double samplesPerSecond() {
            return samples / seconds;
        }
    }

    /**
     * The timings of one query shape.
     *
     * @param label      what was asked, e.g. "24 h × 1000 points"
     * @param resolution the table the query read ({@code raw}, {@code 1m}, {@code 1h})
     * @param series     series asked (and answered)
     * @param minPoints  fewest points any series got
     * @param maxPoints  most points any series got
     * @param samples    samples the points summarise (sum of their counts)
     * @param firstMs    the first run after the load, untimed in the statistics
     * @param runsMs     the timed runs
     */
    record Timing(String label, String resolution, long bucketMs, int series, int minPoints, int maxPoints,
                  long totalPoints, long samples, double firstMs, List<Double> runsMs) {
    }

    private final HistoryDatabase db;
    private final long end;
    private final List<HistoryQuery.SeriesRef> refs = new ArrayList<>();

    /** @param end the end of the loaded history and of the query windows, epoch ms (a whole second) */
    QueryBenchmark(final HistoryDatabase db, final long end) {
        this.db = db;
        this.end = end;
        for (int cell = 0; cell < PackFleet.CELLS_PER_PACK; cell++) {
            for (int m = 0; m < PackFleet.METRICS.size(); m++) {
                refs.add(new HistoryQuery.SeriesRef(seriesId(cell, m),
                        PackFleet.node(1, cell + 1).metric(PackFleet.METRICS.get(m))));
            }
        }
    }

    private static int seriesId(final int cell, final int metric) {
        return cell * PackFleet.METRICS.size() + metric;
    }

    /** Writes the history, oldest first, in batches of {@code batchPublishes} publishes. */
    Load load(final int hours, final int intervalMs, final int batchPublishes) throws SQLException {
        final HistoryWriter writer = new HistoryWriter(db);
        final long steps = TimeUnit.HOURS.toMillis(hours) / intervalMs;
        final long first = end - steps * intervalMs;
        long index = 0;
        long publishes = 0;
        final long started = System.nanoTime();
        List<WalEntry> batch = new ArrayList<>(batchPublishes + refs.size() + 1);
        batch.add(new WalEntry.GatewayDefined(index++, GATEWAY_ID,
                GatewayKey.anonymous("bench-gw-history")));
        for (final HistoryQuery.SeriesRef ref : refs) {
            batch.add(new WalEntry.SeriesDefined(index++, ref.id(), ref.key()));
        }
        for (long step = 0; step < steps; step++) {
            final long ts = first + step * intervalMs;
            for (int cell = 0; cell < PackFleet.CELLS_PER_PACK; cell++) {
                final int[] ids = {seriesId(cell, 0), seriesId(cell, 1), seriesId(cell, 2)};
                final double[] values = {3.55 + (step % 128) * 0.001, 24.0 + (step % 64) * 0.1,
                        0.40 + (step % 256) * 0.002};
                batch.add(new WalEntry.PublishRecorded(index++, GATEWAY_ID, publishes++, ts, ts + 5, ids, values));
                if (batch.size() >= batchPublishes) {
                    writer.write(batch);
                    batch = new ArrayList<>(batchPublishes);
                }
            }
        }
        writer.write(batch);
        final double seconds = (System.nanoTime() - started) / 1e9;
        return new Load(publishes, publishes * PackFleet.METRICS.size(), seconds, count("samples"),
                count("rollup_1m"), count("rollup_1h"));
    }

    private long count(final String table) throws SQLException {
        try (Connection reader = db.readerConnection(); Statement statement = reader.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Asks all 288 series for {@code points} points over the {@code hours} before the end, timing each run. */
    Timing time(final String label, final long hours, final int points, final int warmups, final int runs)
            throws SQLException {
        final long from = end - TimeUnit.HOURS.toMillis(hours);
        final HistoryQuery query = new HistoryQuery(db);
        double firstMs = 0;
        HistoryResult result = null;
        for (int i = 0; i < Math.max(1, warmups); i++) {
            final long started = System.nanoTime();
            result = query.query(refs, from, end, points);
            if (i == 0) {
                firstMs = (System.nanoTime() - started) / 1e6;
            }
        }
        final List<Double> runsMs = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            final long started = System.nanoTime();
            result = query.query(refs, from, end, points);
            runsMs.add((System.nanoTime() - started) / 1e6);
        }
        int minPoints = Integer.MAX_VALUE;
        int maxPoints = 0;
        long totalPoints = 0;
        long samples = 0;
        for (final HistoryResult.SeriesPoints series : result.series()) {
            minPoints = Math.min(minPoints, series.points().size());
            maxPoints = Math.max(maxPoints, series.points().size());
            totalPoints += series.points().size();
            samples += series.points().stream().mapToLong(HistoryResult.Point::count).sum();
        }
        return new Timing(label, result.resolution().label(), result.bucketMs(), result.series().size(), minPoints,
                maxPoints, totalPoints, samples, firstMs, runsMs);
    }
}
