package io.cellwatch.bench;

import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.bench.IngestBenchmark.PacedRun;
import io.cellwatch.bench.IngestBenchmark.SaturationRun;
import io.cellwatch.bench.QueryBenchmark.Timing;
import io.cellwatch.extension.config.ExtensionSettings;
import io.cellwatch.extension.history.HistoryDatabase;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.storage.SampleStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Benchmark of durable history (WAL → DuckDB), driving {@link SampleStore} directly, without broker or network:
 * <ol>
 *   <li>(a) flat-out runs: samples/s appended to the WAL and committed to DuckDB;</li>
 *   <li>(a)+(b) paced runs at a fixed share of the flat-out commit rate: committed samples/s and the WAL → DuckDB lag
 *   of every publish;</li>
 *   <li>(c) a 24 h history of one pack (288 series at 1 Hz) loaded through {@code HistoryWriter}, then the time of a
 *   1000-point query of all 288 series.</li>
 * </ol>
 * Prints machine, JVM flags and parameters with the figures. {@code --help} lists the flags; {@code --smoke} is the
 * under-a-minute variant the build runs.
 */
public final class StorageBenchmark {

    private StorageBenchmark() {
    }

    public static void main(final String[] args) {
        final BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (final BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            final StorageReport report = run(options, System.out);
            System.out.println();
            System.out.println(report.render());
            System.out.flush();
            System.exit(0);
        } catch (final Exception | Error e) {
            // Chronicle without its --add-opens flags fails here; never leave a JVM half up.
            System.err.println("storage benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs the whole benchmark, printing progress to {@code progress}; deletes a temporary data folder after. */
    public static StorageReport run(final BenchOptions options, final PrintStream progress) throws Exception {
        final long started = System.nanoTime();
        final boolean temporary = options.dataDir() == null;
        final Path root = temporary ? Files.createTempDirectory("cellwatch-bench-")
                : Files.createDirectories(options.dataDir());
        try {
            final List<String> machine = new ArrayList<>(MachineInfo.describe(root));
            machine.forEach(line -> progress.println("# " + line));
            progress.println("# " + options + (options.smoke() ? "  [SMOKE]" : ""));
            final Ingested ingested = ingest(options, root.resolve("ingest"), progress);
            final Queried queried = query(options, root.resolve("query"), progress);
            machine.add(queried.duckdb);
            machine.add(MachineInfo.loadAverage("end"));
            return new StorageReport(options, machine, ingested.warmup, ingested.saturation, ingested.offeredRate,
                    ingested.paced, ingested.appended, ingested.written, queried.load, queried.timings,
                    (System.nanoTime() - started) / 1e9);
        } finally {
            if (temporary && !options.keepData()) {
                deleteRecursively(root);
            } else {
                progress.println("# data kept in " + root.toAbsolutePath());
            }
        }
    }

    private record Ingested(SaturationRun warmup, List<SaturationRun> saturation, double offeredRate,
                            List<PacedRun> paced, long appended, long written) {
    }

    private static Ingested ingest(final BenchOptions options, final Path dataDir, final PrintStream progress)
            throws Exception {
        final Metrics metrics = Metrics.create();
        final ExtensionSettings settings = ExtensionSettings.defaults().withDataDir(dataDir);
        try (SampleStore store = SampleStore.open(settings, metrics)) {
            final SeriesCatalog catalog = new SeriesCatalog(store::seriesCreated);
            final GatewayRegistry gateways = new GatewayRegistry(store::gatewayCreated);
            store.recover(catalog, gateways);
            store.start();
            final PackFleet fleet = PackFleet.create(catalog, gateways, options.packs());
            final PublishGenerator generator = new PublishGenerator(fleet, store);
            try (WalPeek peek = new WalPeek(dataDir.toAbsolutePath().resolve("wal"));
                 CommitTracker tracker = new CommitTracker(store, peek)) {
                final IngestBenchmark ingest = new IngestBenchmark(generator, tracker, metrics);
                SaturationRun warmup = null;
                if (options.warmupSeconds() > 0) {
                    progress.println("# warm-up: " + options.warmupSeconds() + " s flat out");
                    warmup = ingest.saturate(options.warmupSeconds());
                    progress.println("#   " + warmup);
                }
                final List<SaturationRun> saturation = new ArrayList<>();
                for (int i = 1; i <= options.saturationRuns(); i++) {
                    progress.println("# flat-out run " + i + "/" + options.saturationRuns() + ": "
                            + options.saturationSeconds() + " s");
                    saturation.add(ingest.saturate(options.saturationSeconds()));
                    progress.println("#   " + saturation.get(i - 1));
                }
                final double offered = options.pacedRate() > 0 ? options.pacedRate()
                        : options.pacedFraction() * Stats.median(
                                saturation.stream().map(SaturationRun::committedRate).toList());
                final List<PacedRun> paced = new ArrayList<>();
                for (int i = 1; i <= options.pacedRuns(); i++) {
                    progress.println("# paced run " + i + "/" + options.pacedRuns() + ": " + rate(offered)
                            + " samples/s for " + options.pacedSeconds() + " s");
                    paced.add(ingest.paced(offered, options.pacedSeconds()));
                    progress.println("#   " + paced.get(i - 1));
                }
                final long appended = generator.nextOrdinal() * PackFleet.METRICS.size();
                final long written = writtenSamples(metrics);
                return new Ingested(warmup, saturation, offered, paced, appended, written);
            }
        }
    }

    private record Queried(QueryBenchmark.Load load, List<Timing> timings, String duckdb) {
    }

    private static Queried query(final BenchOptions options, final Path dir, final PrintStream progress)
            throws Exception {
        try (HistoryDatabase db = HistoryDatabase.open(dir.resolve("history.duckdb"))) {
            final long end = System.currentTimeMillis() / 1000 * 1000;
            final QueryBenchmark bench = new QueryBenchmark(db, end);
            progress.println("# loading " + options.loadHours() + " h of one pack at " + options.loadIntervalMs()
                    + " ms");
            final QueryBenchmark.Load load = bench.load(options.loadHours(), options.loadIntervalMs(),
                    options.loadBatch());
            progress.println("#   " + load + " = " + rate(load.samplesPerSecond()) + " samples/s");
            final String duckdb;
            try (Connection connection = db.readerConnection()) {
                duckdb = MachineInfo.duckdb(connection);
            }
            final List<Timing> timings = new ArrayList<>();
            final String label = options.loadHours() + " h × " + options.queryPoints() + " points";
            timings.add(bench.time(label, options.loadHours(), options.queryPoints(), options.queryWarmups(),
                    options.queryRuns()));
            progress.println("#   " + timings.get(0) + " median " + num(Stats.median(timings.get(0).runsMs()), 1)
                    + " ms");
            // For comparison: a window short enough that the same query reads raw samples.
            timings.add(bench.time("1 h × " + options.queryPoints() + " points", 1, options.queryPoints(),
                    options.queryWarmups(), options.queryRuns()));
            progress.println("#   " + timings.get(1) + " median " + num(Stats.median(timings.get(1).runsMs()), 1)
                    + " ms");
            return new Queried(load, timings, duckdb);
        }
    }

    private static void deleteRecursively(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static long writtenSamples(final Metrics metrics) {
        for (final String line : new String(metrics.scrape(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("cellwatch_history_samples_written_total ")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("cellwatch_history_samples_written_total not in the metrics");
    }
}
