package io.cellwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Entry point of the benchmark jar: {@code all | ingest | acl | persistence | latency | scale | storage} with
 * {@code --smoke} and flags ({@code --help}). Prints progress lines ({@code # …}), then the report as Markdown with
 * machine info and JVM flags. {@code storage} is {@link StorageBenchmark} with its own flags.
 */
public final class BenchMain {

    static final Set<String> SCENARIOS = Set.of("all", "ingest", "acl", "persistence", "latency", "scale", "storage",
            "storm", "alerts", "opcua", "parse", "kafka", "analytics", "analytics-cost");

    /** Persistence's offered rate when no ingest figure of this run exists. */
    private static final double FALLBACK_PERSIST_RATE = 20_000;

    private BenchMain() {
    }

    public static void main(final String[] args) {
        if (args.length == 0 || args[0].equals("--help") || !SCENARIOS.contains(args[0])) {
            System.err.println(usage());
            System.exit(args.length > 0 && args[0].equals("--help") ? 0 : 2);
            return;
        }
        final List<String> rest = List.of(args).subList(1, args.length);
        if (args[0].equals("storage")) {
            StorageBenchmark.main(rest.toArray(String[]::new));
            return;
        }
        if (args[0].equals("alerts")) {
            FeatureCostScenario.main(FeatureCostScenario.Feature.ALERTS, rest.toArray(String[]::new));
            return;
        }
        if (args[0].equals("analytics-cost")) {
            FeatureCostScenario.main(FeatureCostScenario.Feature.ANALYTICS, rest.toArray(String[]::new));
            return;
        }
        if (args[0].equals("opcua")) {
            OpcUaScenario.main(rest.toArray(String[]::new));
            return;
        }
        if (args[0].equals("analytics")) {
            AnalyticsBenchmark.main(rest.toArray(String[]::new));
            return;
        }
        if (args[0].equals("parse")) {
            ParseBenchmark.run();
            return;
        }
        if (args[0].equals("kafka")) {
            KafkaScenario.main(rest.toArray(String[]::new));
            return;
        }
        if (args[0].equals("storm")) {
            StormScenario.main(rest.toArray(String[]::new));
            return;
        }
        final SuiteOptions options;
        try {
            if (rest.contains("--help")) {
                System.err.println(usage());
                System.exit(0);
            }
            options = SuiteOptions.parse(rest);
        } catch (final BenchOptions.Invalid e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            final SuiteReport report = run(args[0], options, System.out,
                    "java -jar bench/target/cellwatch-bench.jar " + String.join(" ", args));
            System.out.println();
            System.out.println(report.render());
            System.out.flush();
            System.exit(0);
        } catch (final Exception | Error e) {
            // HiveMQ's threads would keep a failed JVM alive.
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs {@code scenario} (or all) in a temporary folder, deleted after; progress goes to {@code progress}. */
    static SuiteReport run(final String scenario, final SuiteOptions options, final PrintStream progress,
                           final String command) throws Exception {
        final long started = System.nanoTime();
        final Path root = Files.createTempDirectory("cellwatch-bench-");
        try {
            final List<String> machine = new ArrayList<>(MachineInfo.describe(root));
            machine.forEach(line -> progress.println("# " + line));
            progress.println("# " + options + (options.smoke() ? "  [SMOKE]" : ""));
            final boolean all = scenario.equals("all");
            IngestScenario.Result ingest = null;
            AclCostScenario.Result acl = null;
            PersistenceScenario.Result persistence = null;
            LatencyScenario.Result latency = null;
            List<ScaleScenario.Size> scale = null;
            StorageReport storage = null;
            if (all || scenario.equals("ingest")) {
                ingest = IngestScenario.run(options, root.resolve("ingest"), progress);
            }
            if (all || scenario.equals("acl")) {
                acl = AclCostScenario.run(options, options.aclRate(), root.resolve("acl"), progress);
            }
            if (all || scenario.equals("persistence")) {
                final double offered = ingest == null ? FALLBACK_PERSIST_RATE : ingest.row(IngestScenario.AUTH_OFF, 1)
                        .map(r -> options.persistFraction() * r.median()).orElse(FALLBACK_PERSIST_RATE);
                persistence = PersistenceScenario.run(options, options.smoke() ? Math.min(offered, 3000) : offered,
                        root.resolve("persistence"), progress);
            }
            if (all || scenario.equals("latency")) {
                latency = LatencyScenario.run(options, root.resolve("latency"), progress);
            }
            if (all || scenario.equals("scale")) {
                scale = ScaleScenario.run(options, progress);
            }
            if (all) {
                final BenchOptions storageOptions = options.smoke() ? smokeStorage(root.resolve("storage"))
                        : BenchOptions.defaults().withDataDir(root.resolve("storage"));
                storage = StorageBenchmark.run(storageOptions, progress);
            }
            machine.add(MachineInfo.loadAverage("end"));
            return new SuiteReport(command, options, machine, ingest, acl, persistence, latency, scale, storage,
                    (System.nanoTime() - started) / 1e9);
        } finally {
            deleteRecursively(root);
        }
    }

    /** StorageBenchmark's smoke sizes, shorter still: no warm-up, 1 s flat out, 1 s paced. */
    private static BenchOptions smokeStorage(final Path dir) {
        final BenchOptions s = BenchOptions.smoke(dir);
        return new BenchOptions(dir, false, s.packs(), 0, 1, 1, 1, 1, s.pacedFraction(), s.pacedRate(), s.loadHours(),
                s.loadIntervalMs(), s.loadBatch(), s.queryPoints(), 1, 3, true);
    }

    static String usage() {
        final List<String> lines = new ArrayList<>();
        lines.add("usage: java -jar bench/target/cellwatch-bench.jar all|ingest|acl|persistence|latency|scale [flags]");
        lines.add("       java -jar bench/target/cellwatch-bench.jar storage [storage flags, see storage --help]");
        lines.add("       java -jar bench/target/cellwatch-bench.jar storm [--gateways 200] [--cells 8]"
                + " [--outage-seconds 30]");
        lines.add("       java -jar bench/target/cellwatch-bench.jar alerts [flags]   (ingest with 1,000 alert rules vs"
                + " none, paced at --acl-rate)");
        lines.add("       java -jar bench/target/cellwatch-bench.jar kafka [flags] [--paced-rate 60000]"
                + " [--catchup-samples 2000000]   (scale-out on Kafka: export cost, latency, catch-up)");
        lines.add("       java -jar bench/target/cellwatch-bench.jar kafka --connections 10000 [--metrics 96]"
                + " [--interval-seconds 10] [--hold-seconds 60] [--connect-rate 500]   (one node's sizing)");
        lines.add("       java -jar bench/target/cellwatch-bench.jar parse   (the payload parser alone, by payload width)");
        lines.add("       java -jar bench/target/cellwatch-bench.jar analytics [--cells 100000] [--seconds 60]"
                + "   (the analytics thread's cost per sample)");
        lines.add("       java -jar bench/target/cellwatch-bench.jar analytics-cost [flags]   (ingest with analytics on vs"
                + " off, paced at --acl-rate)");
        lines.add("       java -jar bench/target/cellwatch-bench.jar opcua [--items 500] [--interval-ms 100]"
                + " [--sampling-ms 100] [--seconds 60] [--warmup-seconds 15] [--gateway-jar edge-firmware-bridge/drivers/target/cellwatch-gateway.jar]");
        lines.addAll(SuiteOptions.usage());
        return String.join("\n", lines);
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
}
