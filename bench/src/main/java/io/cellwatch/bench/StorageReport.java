package io.cellwatch.bench;

import io.cellwatch.bench.IngestBenchmark.PacedRun;
import io.cellwatch.bench.IngestBenchmark.SaturationRun;
import io.cellwatch.bench.QueryBenchmark.Load;
import io.cellwatch.bench.QueryBenchmark.Timing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Everything one benchmark run measured, and its rendering as Markdown (pasted as is into docs/benchmarks.md).
 *
 * @param machine         {@link MachineInfo} lines, DuckDB's included
 * @param warmup          the flat-out warm-up run (not part of the statistics), or {@code null} if none
 * @param offeredRate     samples/s the paced runs were offered
 * @param appendedSamples samples the ingest phases appended to the WAL, warm-up included
 * @param writtenSamples  the writer's {@code cellwatch.history.samples.written} counter at the end
 * @param seconds         wall time of the whole benchmark
 */
public record StorageReport(BenchOptions options, List<String> machine, SaturationRun warmup,
                            List<SaturationRun> saturation, double offeredRate, List<PacedRun> paced,
                            long appendedSamples, long writtenSamples, Load load, List<Timing> queries,
                            double seconds) {

    /** Median committed samples/s of the flat-out runs (while the generator was appending). */
    public double saturatedCommitRate() {
        return Stats.median(each(saturation, SaturationRun::committedRate));
    }

    /** The report as Markdown. */
    public String render() {
        final List<String> out = new ArrayList<>();
        out.add("### Machine");
        out.add("");
        out.add("```");
        out.addAll(machine);
        out.add("```");
        out.add("");
        out.add("### Parameters");
        out.add("");
        out.add("```");
        out.add(String.valueOf(options).replace("BenchOptions", "options") + (options.smoke() ? "  [SMOKE]" : ""));
        out.add("ingest: " + options.packs() + " pack(s) x 96 cells x 3 metrics = " + options.series()
                + " series; one node publish = 3 samples (voltage, temperature, soc), ts = receivedAt = now;"
                + " one generator thread calling SampleStore.accept");
        out.add("query load: 1 pack = 288 series, " + options.loadHours() + " h at one sample per "
                + options.loadIntervalMs() + " ms per series, HistoryWriter.write in batches of "
                + options.loadBatch() + " publishes");
        out.add("```");
        out.add("");
        renderSaturation(out);
        renderPaced(out);
        renderQueries(out);
        out.add("Cross-check: " + rate(appendedSamples) + " samples appended to the WAL, writer counter "
                + "cellwatch.history.samples.written = " + rate(writtenSamples) + ". Whole benchmark: "
                + num(seconds, 0) + " s.");
        return String.join("\n", out);
    }

    private void renderSaturation(final List<String> out) {
        out.add("### (a) Flat out: WAL append vs DuckDB commit");
        out.add("");
        if (warmup != null) {
            out.add("Warm-up (not counted): " + num(warmup.seconds(), 0) + " s flat out, appended "
                    + rate(warmup.appendRate()) + " samples/s, committed " + rate(warmup.committedRate())
                    + " samples/s.");
            out.add("");
        }
        out.add("| run | seconds | appended samples/s | committed samples/s during run | backlog at end (samples)"
                + " | drain s | drain samples/s | batches |");
        out.add("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < saturation.size(); i++) {
            final SaturationRun r = saturation.get(i);
            out.add("| " + (i + 1) + " | " + num(r.seconds(), 1) + " | " + rate(r.appendRate()) + " | "
                    + rate(r.committedRate()) + " | " + rate(r.backlog()) + " | " + num(r.drainSeconds(), 1) + " | "
                    + rate(r.drainRate()) + " | " + r.batches() + " |");
        }
        out.add("| **median (min–max)** | | " + spread(each(saturation, SaturationRun::appendRate)) + " | "
                + spread(each(saturation, SaturationRun::committedRate)) + " | | | "
                + spread(each(saturation, SaturationRun::drainRate)) + " | |");
        out.add("");
    }

    private void renderPaced(final List<String> out) {
        out.add("### (a)+(b) Paced at " + rate(offeredRate) + " samples/s ("
                + (options.pacedRate() > 0 ? "--rate" : num(options.pacedFraction() * 100, 0)
                + " % of the median flat-out committed rate") + "), " + options.pacedSeconds() + " s per run");
        out.add("");
        out.add("| run | appended samples/s | committed samples/s | last commit after end (s) | batches"
                + " | samples/batch | lag p50 ms | p90 | p99 | p99.9 | max | publishes measured"
                + " | pump histogram p50 / p99 / max ms (batches) |");
        out.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < paced.size(); i++) {
            final PacedRun r = paced.get(i);
            final LagSummary l = r.lag();
            out.add("| " + (i + 1) + " | " + rate(r.appendRate()) + " | " + rate(r.committedRate()) + " | "
                    + num(r.lastCommitSeconds(), 2) + " | " + r.batches() + " | " + rate(r.samplesPerBatch())
                    + " | " + num(l.p50(), 1) + " | " + num(l.p90(), 1) + " | " + num(l.p99(), 1) + " | "
                    + num(l.p999(), 1) + " | " + num(l.max(), 1) + " | " + rate(l.count())
                    + (l.unmatched() > 0 ? " (" + l.unmatched() + " unmatched)" : "") + " | "
                    + num(r.pumpLag().p50(), 0) + " / " + num(r.pumpLag().p99(), 0) + " / " + r.pumpLag().max()
                    + " (" + r.pumpLag().batches() + ") |");
        }
        out.add("| **median (min–max)** | " + spread(each(paced, PacedRun::appendRate)) + " | "
                + spread(each(paced, PacedRun::committedRate)) + " | | | | "
                + spread1(each(paced, r -> r.lag().p50())) + " | " + spread1(each(paced, r -> r.lag().p90()))
                + " | " + spread1(each(paced, r -> r.lag().p99())) + " | "
                + spread1(each(paced, r -> r.lag().p999())) + " | " + spread1(each(paced, r -> r.lag().max()))
                + " | | |");
        out.add("");
        out.add("Lag = time the benchmark's poller (1 ms) first saw SampleStore.committedIndex() at or past the"
                + " publish's WAL index − System.nanoTime() just before store.accept(publish) (= its receivedAt)."
                + " Every publish of the run counts, including those committed after the run's end. The pump"
                + " histogram is cellwatch.history.lag.ms: one value per batch (commit − oldest receivedAt in the"
                + " batch), 1-minute sliding window read at the run's end.");
        out.add("");
    }

    private void renderQueries(final List<String> out) {
        out.add("### (c) History query, one pack (288 series)");
        out.add("");
        out.add("Loaded " + rate(load.samples()) + " samples (" + rate(load.publishes()) + " publishes) in "
                + num(load.seconds(), 1) + " s = " + rate(load.samplesPerSecond()) + " samples/s through"
                + " HistoryWriter.write; DuckDB then held " + rate(load.sampleRows()) + " raw rows, "
                + rate(load.minuteRows()) + " minute rollups, " + rate(load.hourRows()) + " hour rollups.");
        out.add("");
        out.add("| query (all 288 series) | resolution | bucket ms | points/series min–max | total points"
                + " | samples covered | first run ms | median ms | min ms | max ms | timed runs |");
        out.add("|---|---|---|---|---|---|---|---|---|---|---|");
        for (final Timing t : queries) {
            out.add("| " + t.label() + " | " + t.resolution() + " | " + t.bucketMs() + " | " + t.minPoints() + "–"
                    + t.maxPoints() + " | " + rate(t.totalPoints()) + " | " + rate(t.samples()) + " | "
                    + num(t.firstMs(), 1) + " | " + num(Stats.median(t.runsMs()), 1) + " | "
                    + num(Stats.min(t.runsMs()), 1) + " | " + num(Stats.max(t.runsMs()), 1) + " | "
                    + t.runsMs().size() + " |");
        }
        out.add("");
        out.add("Each run is one HistoryQuery.query call (a new reader connection, one SQL statement for all series,"
                + " result mapped to Java objects), timed with System.nanoTime().");
        out.add("");
    }

    private static <T> List<Double> each(final List<T> runs, final Function<T, Double> figure) {
        return runs.stream().map(figure).toList();
    }

    private static String spread(final List<Double> values) {
        return "**" + rate(Stats.median(values)) + "** (" + rate(Stats.min(values)) + "–" + rate(Stats.max(values))
                + ")";
    }

    private static String spread1(final List<Double> values) {
        return "**" + num(Stats.median(values), 1) + "** (" + num(Stats.min(values), 1) + "–"
                + num(Stats.max(values), 1) + ")";
    }
}
