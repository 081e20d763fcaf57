package io.cellwatch.bench;

import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.ClusterSettings;
import io.cellwatch.extension.config.NodeRole;
import io.cellwatch.testing.kafka.KafkaTestBroker;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Scale-out on Kafka (issue 24), against a real Kafka broker in a child JVM ({@link KafkaTestBroker}):
 * <b>A</b> export cost — the same QoS 1 load against a node in role {@code all} (WAL + DuckDB history) and in role
 * {@code ingest} (WAL + export to Kafka; DuckDB only series and gateways), flat out and paced, server CPU per publish;
 * <b>B</b> publish → WebSocket latency through an ingest node, Kafka and a serving node ({@link LatencyScenario}'s
 * client JVM); <b>C</b> a stopped serving node's catch-up from Kafka into DuckDB. Nodes are auth off, in this JVM.
 */
final class KafkaScenario {

    static final String ALL = "role all (WAL + DuckDB history)";
    static final String INGEST = "role ingest (WAL + export to Kafka)";
    private static final String EXPORTER = "cellwatch-wal-exporter";
    /** The exporter's Kafka producer thread; its name ends with the producer's client id. */
    private static final String PRODUCER = "kafka-producer-network-thread";

    /**
     * Flags of this scenario on top of the suite's.
     *
     * @param pacedRate      samples/s of A's paced runs
     * @param catchupSamples samples C pushes into Kafka before the serving node starts
     * @param parts          the parts to run, of {@code A}, {@code B}, {@code C} ({@code --parts B} reruns one)
     */
    record Options(SuiteOptions suite, double pacedRate, long catchupSamples, String parts) {

        static Options parse(final List<String> args) throws BenchOptions.Invalid {
            final List<String> rest = new ArrayList<>(args);
            final boolean smoke = rest.contains("--smoke");
            final double paced = take(rest, "--paced-rate", smoke ? 1_500 : 60_000);
            final long catchup = (long) take(rest, "--catchup-samples", smoke ? 30_000 : 2_000_000);
            String parts = "ABC";
            final int at = rest.indexOf("--parts");
            if (at >= 0 && at + 1 < rest.size()) {
                parts = rest.remove(at + 1).toUpperCase(java.util.Locale.ROOT);
                rest.remove(at);
            }
            return new Options(SuiteOptions.parse(rest), paced, catchup, parts);
        }

        /** Removes {@code --name value} from {@code args}, returning the value or {@code fallback}. */
        static double take(final List<String> args, final String name, final double fallback)
                throws BenchOptions.Invalid {
            final int at = args.indexOf(name);
            if (at < 0) {
                return fallback;
            }
            if (at + 1 >= args.size()) {
                throw new BenchOptions.Invalid(name + ": missing value");
            }
            try {
                final double value = Double.parseDouble(args.get(at + 1).replace("_", ""));
                if (value <= 0) {
                    throw new NumberFormatException();
                }
                args.remove(at + 1);
                args.remove(at);
                return value;
            } catch (final NumberFormatException e) {
                throw new BenchOptions.Invalid(name + ": expected a positive number, got '" + args.get(at + 1) + "'");
            }
        }
    }

    /**
     * One run of A on a fresh node.
     *
     * @param flatOut     accepted samples/s flat out
     * @param flatCpu     server CPU over the flat-out run
     * @param flatPublishes publishes accepted in the flat-out run
     * @param exportedFlat samples the exporter committed during the flat-out run (role ingest)
     * @param exportCatchUp seconds after the flat-out run until the export had everything (role ingest)
     * @param paced       accepted samples/s in the paced run
     * @param pacedCpu    server CPU over the paced run
     * @param pacedPublishes publishes accepted in the paced run
     * @param kafkaNanos  the Kafka broker JVM's CPU over the paced run
     */
    record CostRun(String variant, int pair, double flatOut, ThreadCpu flatCpu, long flatPublishes,
                   double exportedFlat, double exportCatchUp, double paced, ThreadCpu pacedCpu, long pacedPublishes,
                   long kafkaNanos, double pacedSeconds) {

        double flatMicros() {
            return flatCpu.serverNanos() / 1e3 / flatPublishes;
        }

        double pacedMicros() {
            return pacedCpu.serverNanos() / 1e3 / pacedPublishes;
        }

        double pacedPool(final String pool) {
            return pacedCpu.poolNanos(pool) / 1e3 / pacedPublishes;
        }

        /** CPU µs per publish of the threads whose pool name starts with {@code prefix}. */
        double pacedPoolsStarting(final String prefix) {
            return pacedCpu.serverPools().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(Map.Entry::getValue).sum() / 1e3 / pacedPublishes;
        }

        double kafkaMicros() {
            return kafkaNanos / 1e3 / pacedPublishes;
        }
    }

    /**
     * B: the latency step, and the ingest node's {@code cellwatch_export_commit_seconds} (oldest publish of an
     * export transaction → committed) p50 / p99 over the step, in seconds.
     */
    record Latency(LatencyScenario.Step step, double exportP50, double exportP99, int series) {
    }

    /**
     * C: {@code samples} pushed through an ingest node into Kafka at {@code pushRate}; the serving node started after,
     * {@code startSeconds} until its first sample was written to DuckDB, {@code allSeconds} until all were.
     */
    record CatchUp(long samples, double pushRate, double startSeconds, double allSeconds, ThreadCpu cpu) {

        double rateAfterFirst() {
            return samples / (allSeconds - startSeconds);
        }

        double rateFromStart() {
            return samples / allSeconds;
        }
    }

    /** Everything one run of the scenario measured. */
    record Result(List<CostRun> cost, Latency latency, CatchUp catchUp) {
    }

    private KafkaScenario() {
    }

    /** {@code kafka [flags]}: prints progress, then the report as Markdown; {@code --connections} runs D instead. */
    static void main(final String[] args) {
        if (List.of(args).contains("--connections")) {
            ConnectionsScenario.main(args);
            return;
        }
        try {
            final Options options = Options.parse(List.of(args));
            final Path root = Files.createTempDirectory("cellwatch-bench-kafka-");
            final List<String> machine = new ArrayList<>(MachineInfo.describe(root));
            machine.forEach(line -> System.out.println("# " + line));
            final Result result = run(options, root, System.out);
            machine.add(MachineInfo.loadAverage("end"));
            System.out.println();
            System.out.println("command: `java -jar bench/target/cellwatch-bench.jar kafka " + String.join(" ", args)
                    + "`" + (options.suite().smoke() ? "  [SMOKE]" : ""));
            machine.forEach(line -> System.out.println("- " + line));
            System.out.println();
            render(options, result).forEach(System.out::println);
            System.exit(0);
        } catch (final Exception | Error e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Result run(final Options options, final Path root, final PrintStream progress) throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.start(root.resolve("kafka"))) {
            progress.println("# Kafka broker (child JVM, pid " + kafka.pid() + ") at " + kafka.bootstrapServers());
            final List<CostRun> cost = options.parts().contains("A")
                    ? exportCost(options, kafka, root.resolve("cost"), progress) : List.of();
            final Latency latency = options.parts().contains("B")
                    ? latency(options, kafka, root.resolve("latency"), progress) : null;
            final CatchUp catchUp = options.parts().contains("C")
                    ? catchUp(options, kafka, root.resolve("catchup"), progress) : null;
            return new Result(cost, latency, catchUp);
        }
    }

    /** A config under {@code dir}, auth off, in {@code role} with its own topic prefix (a run's topics are its own). */
    static ServerConfig node(final Path dir, final NodeRole role, final String nodeId, final KafkaTestBroker kafka,
                             final String prefix) throws IOException {
        final ServerConfig config = BenchServers.authOff(dir);
        if (role == NodeRole.ALL) {
            return config;
        }
        final ClusterSettings d = ClusterSettings.defaults();
        return config.withExtension(config.extension().withCluster(new ClusterSettings(role, nodeId,
                kafka.bootstrapServers(), prefix, d.partitions(), d.maxExportLagSeconds(), Map.of())));
    }

    // ---- A: export cost ----------------------------------------------------------------------------------------

    private static List<CostRun> exportCost(final Options options, final KafkaTestBroker kafka, final Path root,
                                            final PrintStream progress) throws Exception {
        final SuiteOptions suite = options.suite();
        progress.println("# A export cost: " + ALL + " vs " + INGEST + ", " + suite.load().withQos(1) + "; per run a"
                + " fresh node, " + num(Math.max(0.5, suite.warmupSeconds()), 1) + " s flat-out warm-up, "
                + num(suite.runSeconds(), 1) + " s flat out, " + num(suite.runSeconds(), 1) + " s paced at "
                + rate(options.pacedRate()) + " samples/s; " + suite.runs() + " pair(s), order alternating");
        final List<CostRun> runs = new ArrayList<>();
        // Pair 0 warms the JIT up on both variants; the smoke run skips it.
        for (int pair = suite.smoke() ? 1 : 0; pair <= suite.runs(); pair++) {
            final boolean ingestFirst = pair % 2 == 0;
            for (final boolean ingest : ingestFirst ? new boolean[]{true, false} : new boolean[]{false, true}) {
                final CostRun run = costRun(options, kafka, pair, ingest,
                        root.resolve((ingest ? "ingest-" : "all-") + pair), progress);
                if (pair > 0) {
                    runs.add(run);
                }
            }
        }
        return runs;
    }

    private static CostRun costRun(final Options options, final KafkaTestBroker kafka, final int pair,
                                   final boolean ingest, final Path dir, final PrintStream progress) throws Exception {
        final SuiteOptions suite = options.suite();
        final String variant = ingest ? INGEST : ALL;
        final ServerConfig config = node(dir, ingest ? NodeRole.INGEST : NodeRole.ALL, "bench-ingest", kafka,
                "bench-a" + pair + ".");
        try (CellwatchBroker broker = CellwatchBroker.start(variant, config, null);
             MqttLoad load = MqttLoad.connect(suite.load().withQos(1), broker.mqttPort(), null)) {
            final int perPublish = load.shape().payload().samples();
            if (ingest) {
                awaitExporter(broker);
            }
            load.flatOut(Math.max(0.5, suite.warmupSeconds()));
            if (ingest) {
                awaitExported(broker, broker.metrics().value("cellwatch_ingest_samples_accepted_total"));
            }
            final double exportedBefore = ingest ? exported(broker) : 0;
            long before = broker.acceptedPublishes();
            ThreadCpu start = ThreadCpu.now();
            final MqttLoad.Run flat = load.flatOut(suite.runSeconds());
            final ThreadCpu flatCpu = ThreadCpu.now().since(start);
            final long flatPublishes = broker.acceptedPublishes() - before;
            double exportedFlat = 0;
            double exportCatchUp = 0;
            if (ingest) {
                exportedFlat = exported(broker) - exportedBefore;
                final long waitStart = System.nanoTime();
                awaitExported(broker, broker.metrics().value("cellwatch_ingest_samples_accepted_total"));
                exportCatchUp = (System.nanoTime() - waitStart) / 1e9;
            } else {
                // The history writer's backlog of the flat-out run would be CPU in the paced run.
                awaitBacklogEmpty(broker);
            }
            before = broker.acceptedPublishes();
            final long kafkaBefore = cpuNanos(kafka.pid());
            start = ThreadCpu.now();
            final MqttLoad.Run paced = load.paced(options.pacedRate(), suite.runSeconds());
            final ThreadCpu pacedCpu = ThreadCpu.now().since(start);
            final long kafkaNanos = cpuNanos(kafka.pid()) - kafkaBefore;
            final long pacedPublishes = broker.acceptedPublishes() - before;
            if (flat.failed() > 0 || paced.failed() > 0) {
                throw new IllegalStateException(variant + ": " + (flat.failed() + paced.failed())
                        + " publishes failed: the figures would not be a cost");
            }
            final CostRun run = new CostRun(variant, pair, flatPublishes * perPublish / flat.seconds(), flatCpu,
                    flatPublishes, exportedFlat / flat.seconds(), exportCatchUp,
                    pacedPublishes * perPublish / paced.seconds(), pacedCpu, pacedPublishes, kafkaNanos,
                    paced.seconds());
            progress.println("#   " + (pair == 0 ? "warm-up" : "pair " + pair) + ", " + variant + ": flat out "
                    + rate(run.flatOut()) + " samples/s (" + num(run.flatMicros(), 2) + " µs/publish server CPU"
                    + (ingest ? ", exported " + rate(run.exportedFlat()) + " samples/s, export done "
                    + num(exportCatchUp, 2) + " s after" : "") + "); paced " + rate(run.paced()) + " samples/s, "
                    + num(run.pacedMicros(), 2) + " µs/publish server CPU, Kafka JVM " + num(run.kafkaMicros(), 2)
                    + " µs/publish");
            return run;
        }
    }

    private static double exported(final CellwatchBroker broker) throws IOException {
        return broker.metrics().value("cellwatch_export_samples_total");
    }

    private static void awaitExporter(final CellwatchBroker broker) throws Exception {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (broker.metrics().value("cellwatch_export_connected") < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the exporter did not connect to Kafka within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the exporter committed {@code samples} samples in all (what the node accepted so far). */
    private static void awaitExported(final CellwatchBroker broker, final double samples) throws Exception {
        final long deadline = System.nanoTime() + 300_000_000_000L;
        while (exported(broker) < samples) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the export did not catch up within 300 s: " + exported(broker)
                        + " of " + samples + " samples");
            }
            Thread.sleep(50);
        }
    }

    private static void awaitBacklogEmpty(final CellwatchBroker broker) throws Exception {
        final long deadline = System.nanoTime() + 300_000_000_000L;
        while (broker.metrics().value("cellwatch_wal_backlog_records") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the history writer did not catch up within 300 s");
            }
            Thread.sleep(100);
        }
    }

    static long cpuNanos(final long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("no CPU time readable for process " + pid)).toNanos();
    }

    // ---- B: latency through Kafka ------------------------------------------------------------------------------

    private static Latency latency(final Options options, final KafkaTestBroker kafka, final Path root,
                                   final PrintStream progress) throws Exception {
        final SuiteOptions suite = options.suite();
        final LoadShape shape = suite.load().withGateways(suite.latencyGateways()).withQos(1);
        progress.println("# B latency through Kafka: client JVM publishes to the ingest node, its WebSocket clients"
                + " watch the serving node");
        try (CellwatchBroker ingest = CellwatchBroker.start("ingest", node(root.resolve("ingest"), NodeRole.INGEST,
                "bench-ingest-b", kafka, "bench-b."), null);
             CellwatchBroker serve = CellwatchBroker.start("serve", node(root.resolve("serve"), NodeRole.SERVE,
                     "bench-serve-b", kafka, "bench-b."), null)) {
            awaitExporter(ingest);
            final long deadline = System.nanoTime() + 120_000_000_000L;
            while (serve.metrics().value("cellwatch_feed_partitions") < 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the serving node got no partition within 120 s");
                }
                Thread.sleep(100);
            }
            final String before = ingest.metrics().scrape();
            final LatencyScenario.Step step = LatencyScenario.step("through Kafka", suite, shape, ingest.mqttPort(),
                    serve.server().httpPort(), ingest.server().httpPort(), serve.metrics(), suite.wsClients(), false,
                    suite.latencyRate(), progress);
            final String after = ingest.metrics().scrape();
            final String name = "cellwatch_export_commit_seconds";
            return new Latency(step, MetricsScrape.quantileBetween(before, after, name, 0.5),
                    MetricsScrape.quantileBetween(before, after, name, 0.99), shape.gateways() * shape.cells() * 3);
        }
    }

    // ---- C: catch-up ---------------------------------------------------------------------------------------------

    private static CatchUp catchUp(final Options options, final KafkaTestBroker kafka, final Path root,
                                   final PrintStream progress) throws Exception {
        final SuiteOptions suite = options.suite();
        final long target = options.catchupSamples();
        progress.println("# C catch-up: " + rate(target) + " samples through an ingest node into Kafka, then a"
                + " serving node started");
        final double pushRate;
        final long pushed;
        try (CellwatchBroker ingest = CellwatchBroker.start("ingest", node(root.resolve("ingest"), NodeRole.INGEST,
                "bench-ingest-c", kafka, "bench-c."), null);
             MqttLoad load = MqttLoad.connect(suite.load().withQos(1), ingest.mqttPort(), null)) {
            awaitExporter(ingest);
            final long started = System.nanoTime();
            double accepted = 0;
            while (accepted < target) {
                load.flatOut(Math.min(5, Math.max(0.5, (target - accepted) / 50_000)));
                accepted = ingest.metrics().value("cellwatch_ingest_samples_accepted_total");
            }
            awaitExported(ingest, accepted);
            pushed = (long) accepted;
            pushRate = accepted / ((System.nanoTime() - started) / 1e9);
            progress.println("#   pushed " + rate(pushed) + " samples, in Kafka at " + rate(pushRate)
                    + " samples/s (publish and export, the ingest node's view)");
        }
        final long started = System.nanoTime();
        final ThreadCpu cpuStart = ThreadCpu.now();
        try (CellwatchBroker serve = CellwatchBroker.start("serve", node(root.resolve("serve"), NodeRole.SERVE,
                "bench-serve-c", kafka, "bench-c."), null)) {
            double first = 0;
            final long deadline = System.nanoTime() + 600_000_000_000L;
            while (true) {
                final double written = serve.metrics().value("cellwatch_history_samples_written_total");
                final double now = (System.nanoTime() - started) / 1e9;
                if (written > 0 && first == 0) {
                    first = now;
                }
                if (written >= pushed) {
                    final CatchUp result = new CatchUp(pushed, pushRate, first, now, ThreadCpu.now().since(cpuStart));
                    progress.println("#   serving node: first sample in DuckDB after " + num(first, 2) + " s, all "
                            + rate(pushed) + " after " + num(now, 2) + " s: " + rate(result.rateAfterFirst())
                            + " samples/s");
                    return result;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the serving node stored " + written + " of " + pushed
                            + " samples in 600 s");
                }
                Thread.sleep(100);
            }
        }
    }

    // ---- report --------------------------------------------------------------------------------------------------

    static List<String> render(final Options options, final Result result) {
        final List<String> out = new ArrayList<>();
        if (!result.cost().isEmpty()) {
            out.addAll(renderCost(options, result));
        }
        if (result.latency() != null) {
            out.addAll(renderLatency(options, result.latency()));
        }
        if (result.catchUp() != null) {
            out.addAll(renderCatchUp(options, result.catchUp()));
        }
        return out;
    }

    private static List<String> renderCost(final Options options, final Result result) {
        final SuiteOptions suite = options.suite();
        final List<String> out = new ArrayList<>();
        out.add("### A. Export cost: role all vs role ingest, QoS 1");
        out.add("");
        out.add("The same load (" + suite.load().withQos(1) + ") against one node, auth off, in this JVM. "
                + ALL + ": the publish path appends to the WAL, the history writer copies every sample into DuckDB. "
                + INGEST + ": the same publish path and WAL; the history writer stores only series and gateways (no"
                + " sample rows); the exporter thread sends every publish to Kafka (one transaction per batch, lz4,"
                + " acks=all) — so the pair differs by DuckDB sample writes (dropped) and the export (added). Per run"
                + " a fresh node, " + num(Math.max(0.5, suite.warmupSeconds()), 1) + " s flat-out warm-up, "
                + num(suite.runSeconds(), 1) + " s flat out, then " + num(suite.runSeconds(), 1) + " s paced at "
                + rate(options.pacedRate()) + " samples/s on the same node; pairs in alternating order"
                + (suite.smoke() ? "" : " after an unmeasured warm-up pair") + ". Server CPU = every thread of this"
                + " JVM but the load generator's (ThreadMXBean). The Kafka broker runs in its own JVM; its CPU (process"
                + " time) is listed apart.");
        out.add("");
        final MarkdownTable runs = new MarkdownTable("pair", "variant", "flat out: accepted samples/s",
                "flat out: server CPU µs/publish", "flat out: exported samples/s (export done after)",
                "paced: accepted samples/s", "paced: server CPU µs/publish", "paced: history writer µs/publish",
                "paced: exporter + producer µs/publish", "paced: Kafka broker JVM µs/publish");
        for (final CostRun run : result.cost()) {
            final boolean ingest = run.variant().equals(INGEST);
            runs.row(run.pair(), run.variant(), rate(run.flatOut()), num(run.flatMicros(), 2),
                    ingest ? rate(run.exportedFlat()) + " (" + num(run.exportCatchUp(), 2) + " s)" : "–",
                    rate(run.paced()), num(run.pacedMicros(), 2), num(run.pacedPool("cellwatch-history-writer"), 2),
                    ingest ? num(run.pacedPool(EXPORTER) + run.pacedPoolsStarting(PRODUCER), 2) : "–",
                    num(run.kafkaMicros(), 2));
        }
        out.addAll(runs.render());
        out.add("");
        final List<Double> allFlat = figure(result.cost(), ALL, CostRun::flatOut);
        final List<Double> ingestFlat = figure(result.cost(), INGEST, CostRun::flatOut);
        final List<Double> allCpu = figure(result.cost(), ALL, CostRun::pacedMicros);
        final List<Double> ingestCpu = figure(result.cost(), INGEST, CostRun::pacedMicros);
        final MarkdownTable summary = new MarkdownTable("figure (medians)", ALL, INGEST, "ingest / all");
        summary.row("flat out: accepted samples/s", rate(Stats.median(allFlat)), rate(Stats.median(ingestFlat)),
                pct(Stats.median(ingestFlat) / Stats.median(allFlat)));
        summary.row("paced: server CPU µs/publish", num(Stats.median(allCpu), 2), num(Stats.median(ingestCpu), 2),
                pct(Stats.median(ingestCpu) / Stats.median(allCpu)));
        final double export = Stats.median(figure(result.cost(), INGEST,
                r -> r.pacedPool(EXPORTER) + r.pacedPoolsStarting(PRODUCER)));
        summary.row("paced: export threads (exporter + Kafka producer) CPU µs/publish", "–", num(export, 2),
                pct(export / Stats.median(ingestCpu)) + " of ingest's server CPU");
        summary.row("paced: server + Kafka broker CPU µs/publish",
                num(Stats.median(figure(result.cost(), ALL, r -> r.pacedMicros() + r.kafkaMicros())), 2),
                num(Stats.median(figure(result.cost(), INGEST, r -> r.pacedMicros() + r.kafkaMicros())), 2), "");
        out.addAll(summary.render());
        out.add("");
        return out;
    }

    private static List<String> renderLatency(final Options options, final Latency latency) {
        final SuiteOptions suite = options.suite();
        final List<String> out = new ArrayList<>();
        final LatencyScenario.Step step = latency.step();
        out.add("### B. Publish → WebSocket through Kafka");
        out.add("");
        out.add("One ingest node and one serving node (auth off, both in this JVM), the Kafka broker in its own JVM,"
                + " the load generator and " + step.clients() + " WebSocket clients in a third JVM (LatencyScenario's"
                + " client: " + suite.latencyGateways() + " gateways x " + suite.load().cells() + " cells, node payloads"
                + " at QoS 1, " + rate(latency.series()) + " series, paced at " + rate(step.offered())
                + " samples/s) publishing to the ingest node, the clients on the serving node's /api/v1/live. "
                + num(Math.max(0.5, suite.latencyWarmupSeconds()), 1) + " s paced warm-up, " + suite.runs()
                + " runs of " + num(suite.latencySeconds(), 1) + " s. Same echo timing as the latency scenario.");
        out.add("");
        final MarkdownTable table = new MarkdownTable("run", "achieved samples/s (ingest node accepted)",
                "deliveries timed", "p50 ms", "p99 ms", "max ms", "publish → PUBACK p50 / p99 ms",
                "serving node: fan-out → written p50 / p99 ms", "CPU cores: nodes JVM / client JVM");
        int i = 0;
        for (final LatencyScenario.Run run : step.runs()) {
            final Histogram h = run.deliveries();
            table.row(++i, rate(run.achieved()), rate(h.getTotalCount()) + (run.unmatched() > 0 ? " ("
                            + run.unmatched() + " unmatched)" : ""), ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), ms(run.acks().getValueAtPercentile(50))
                            + " / " + ms(run.acks().getValueAtPercentile(99)),
                    ms(run.serverP50()) + " / " + ms(run.serverP99()),
                    num(run.serverCores(), 2) + " / " + num(run.clientCores(), 2));
        }
        out.addAll(table.render());
        out.add("");
        out.add("Medians over the runs: p50 " + num(step.medianP50Ms(), 1) + " ms, p99 " + num(step.medianP99Ms(), 1)
                + " ms. The ingest node's cellwatch_export_commit_seconds over the step (oldest publish of an export"
                + " transaction → its commit; Prometheus buckets, interpolated): p50 "
                + num(latency.exportP50() * 1000, 1) + " ms, p99 " + num(latency.exportP99() * 1000, 1)
                + " ms. The exporter sends what the WAL holds at most every 50 ms, so a publish waits 0–50 ms for"
                + " its batch before the transaction starts. Clients closed while reading: " + step.closedReading()
                + "; closed as slow by the server: " + step.slowClosed() + ".");
        out.add("");
        return out;
    }

    private static List<String> renderCatchUp(final Options options, final CatchUp c) {
        final SuiteOptions suite = options.suite();
        final List<String> out = new ArrayList<>();
        out.add("### C. Serving-node catch-up from Kafka");
        out.add("");
        out.add(rate(c.samples()) + " samples (" + suite.load().withQos(1) + ") pushed flat out through an ingest"
                + " node into Kafka (" + rate(c.pushRate()) + " samples/s, publish to exported), the ingest node"
                + " stopped; then a fresh serving node started (same JVM, nothing else running in it) and timed until"
                + " its cellwatch_history_samples_written_total reached them all.");
        out.add("");
        final MarkdownTable catchUp = new MarkdownTable("samples", "first sample in DuckDB after (start, group join)",
                "all in DuckDB after", "samples/s Kafka → DuckDB (after the first)", "samples/s from start",
                "server CPU cores used", "kafka feed / history writer CPU share");
        final double cores = c.cpu().serverNanos() / 1e9 / c.allSeconds();
        final double serverNanos = Math.max(1, c.cpu().serverNanos());
        catchUp.row(rate(c.samples()), num(c.startSeconds(), 2) + " s", num(c.allSeconds(), 2) + " s",
                "**" + rate(c.rateAfterFirst()) + "**", rate(c.rateFromStart()), num(cores, 2),
                pct(c.cpu().poolNanos("cellwatch-kafka-feed") / serverNanos) + " / "
                        + pct(c.cpu().poolNanos("cellwatch-history-writer") / serverNanos));
        out.addAll(catchUp.render());
        out.add("");
        return out;
    }

    private static List<Double> figure(final List<CostRun> runs, final String variant,
                                       final java.util.function.ToDoubleFunction<CostRun> f) {
        return runs.stream().filter(r -> r.variant().equals(variant)).map(f::applyAsDouble).toList();
    }

    static String pct(final double fraction) {
        return num(100 * fraction, 1) + " %";
    }

    private static String ms(final long micros) {
        return num(micros / 1000.0, 1);
    }
}
