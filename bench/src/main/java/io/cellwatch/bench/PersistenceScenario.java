package io.cellwatch.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Persistence under MQTT load: the cellwatch server (auth off) takes a paced QoS 1 load; measured are publish → PUBACK
 * per publish (the broker acknowledges only after the extension appended the publish to the WAL, so this bounds the
 * WAL lag from above), the history writer's own WAL → DuckDB lag histogram, and the disk bytes per accepted sample of
 * the WAL and of the DuckDB file once everything is committed.
 */
final class PersistenceScenario {

    private static final String LAG = "cellwatch_history_commit_seconds";

    /**
     * What one persistence run measured.
     *
     * @param offered         samples/s offered
     * @param accepted        samples/s the broker accepted over the run
     * @param ack             publish → PUBACK, µs
     * @param duckdbLagMs     cellwatch_history_commit_seconds quantiles 0.5 / 0.99 / 0.999 in ms (per batch since start, estimated from the histogram's buckets)
     * @param batches         batches in that window
     * @param totalSamples    samples accepted since the server started (warm-up included)
     * @param writtenSamples  samples the writer committed to DuckDB by the time the disk was measured
     * @param walBytes        bytes allocated on disk by the WAL folder (du)
     * @param historyBytes    bytes allocated on disk by the DuckDB folder (du)
     */
    record Result(double offered, double seconds, double accepted, Histogram ack, double[] duckdbLagMs, long batches,
                  long totalSamples, long writtenSamples, long walBytes, long historyBytes) {
    }

    private PersistenceScenario() {
    }

    /** @param offered samples/s to offer */
    static Result run(final SuiteOptions options, final double offered, final Path dir, final PrintStream progress)
            throws Exception {
        progress.println("# persistence: cellwatch, auth off, QoS 1 paced at " + rate(offered) + " samples/s for "
                + num(options.persistSeconds(), 1) + " s");
        try (CellwatchBroker broker = CellwatchBroker.start(IngestScenario.AUTH_OFF, BenchServers.authOff(dir), null);
             MqttLoad load = MqttLoad.connect(options.load().withQos(1), broker.mqttPort(), null)) {
            load.paced(offered, Math.max(0.5, options.warmupSeconds()));
            final Recorder acks = new Recorder(3);
            load.ackLatency(acks);
            final long before = broker.acceptedPublishes();
            final MqttLoad.Run run = load.paced(offered, options.persistSeconds());
            final long accepted = broker.acceptedPublishes() - before;
            load.ackLatency(null);
            final double[] lag = {
                1000 * broker.metrics().quantile(LAG, 0.5), 1000 * broker.metrics().quantile(LAG, 0.99),
                1000 * broker.metrics().quantile(LAG, 0.999)};
            final long batches = (long) broker.metrics().value(LAG + "_count");
            final int samples = load.shape().payload().samples();
            final long total = broker.acceptedPublishes() * samples;
            final long written = awaitWritten(broker, total);
            final Path data = dir.resolve("data");
            final Result result = new Result(offered, run.seconds(), accepted * samples / run.seconds(),
                    acks.getIntervalHistogram(), lag, batches, total, written, allocated(data.resolve("wal")),
                    allocated(data.resolve("history")));
            progress.println("#   accepted " + rate(result.accepted()) + " samples/s, PUBACK p99 "
                    + num(result.ack().getValueAtPercentile(99) / 1000.0, 2) + " ms, DuckDB lag p99 "
                    + num(lag[1], 0) + " ms");
            return result;
        }
    }

    private static long awaitWritten(final CellwatchBroker broker, final long total) throws Exception {
        final long deadline = System.nanoTime() + 120_000_000_000L;
        long written = 0;
        while (System.nanoTime() < deadline) {
            written = (long) broker.metrics().value("cellwatch_history_samples_written_total");
            if (written >= total) {
                break;
            }
            Thread.sleep(100);
        }
        return written;
    }

    /** Bytes allocated on disk under {@code dir} ({@code du -s -B1}); sparse preallocation does not count. */
    static long allocated(final Path dir) throws IOException, InterruptedException {
        final Process du = new ProcessBuilder("du", "-s", "-B1", dir.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        final String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (du.waitFor() == 0 && !out.isEmpty()) {
            return Long.parseLong(out.split("\\s+")[0]);
        }
        // No du: the files' lengths (overstates a sparse, preallocated WAL file).
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static List<String> render(final SuiteOptions options, final Result r) {
        final List<String> out = new ArrayList<>();
        out.add("### Persistence: WAL and DuckDB under MQTT load");
        out.add("");
        out.add("cellwatch, auth off, " + options.load().withQos(1) + ", paced at " + rate(r.offered())
                + " samples/s (" + num(options.persistFraction() * 100, 0) + " % of the median cellwatch QoS 1 ingest"
                + " rate) for " + num(r.seconds(), 1) + " s after a paced warm-up.");
        out.add("");
        final Histogram a = r.ack();
        final MarkdownTable table = new MarkdownTable("figure", "p50", "p99", "p99.9", "max", "count");
        table.row("publish → PUBACK ms (includes the WAL append; bounds WAL lag)",
                ms(a.getValueAtPercentile(50)), ms(a.getValueAtPercentile(99)), ms(a.getValueAtPercentile(99.9)),
                ms(a.getMaxValue()), rate(a.getTotalCount()) + " publishes");
        table.row("WAL → DuckDB commit ms (cellwatch.history.lag.ms, per batch)", num(r.duckdbLagMs()[0], 0),
                num(r.duckdbLagMs()[1], 0), num(r.duckdbLagMs()[2], 0), "–", rate(r.batches()) + " batches (1-min window)");
        out.addAll(table.render());
        out.add("");
        final MarkdownTable disk = new MarkdownTable("accepted samples/s", "samples accepted (incl. warm-up)",
                "samples in DuckDB", "WAL bytes on disk", "WAL bytes/sample", "DuckDB bytes on disk",
                "DuckDB bytes/sample");
        disk.row(rate(r.accepted()), rate(r.totalSamples()), rate(r.writtenSamples()), rate(r.walBytes()),
                num((double) r.walBytes() / r.totalSamples(), 1), rate(r.historyBytes()),
                num((double) r.historyBytes() / r.totalSamples(), 1));
        out.addAll(disk.render());
        out.add("");
        out.add("PUBACK latency is System.nanoTime() before the client's send → its PUBACK callback (client and broker in"
                + " this JVM). Disk = blocks allocated (du) under data/wal and data/history after every accepted"
                + " sample was committed; the WAL is never cleaned during a run this short, so its bytes are all"
                + " samples' records plus Chronicle's index.");
        out.add("");
        return out;
    }

    private static String ms(final long micros) {
        return num(micros / 1000.0, 2);
    }
}
