package io.cellwatch.bench;

import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * ACL cost on the publish path: the same paced QoS 1 load against cellwatch with auth off and with auth+ACL, in
 * pairs whose order alternates (off, on / on, off / …) so drift of a shared machine falls on both alike; measured is
 * the server's CPU time per accepted publish (every thread but the load generator's, {@link ThreadCpu}). A paced rate
 * well below both variants' maximum makes this a cost, not a throughput, and far steadier than flat-out rates. Also
 * times the policy's own publish check on the benchmark's ACL, on one thread.
 */
final class AclCostScenario {

    /**
     * One measured run.
     *
     * @param publishes publishes the broker accepted during the paced run
     * @param cpu       CPU time used during the paced run
     * @param flatOut   samples/s the broker accepted in a flat-out QoS 1 run right after, on the same server
     */
    record Run(String variant, int pair, double offered, double seconds, long publishes, int samplesPerPublish,
               ThreadCpu cpu, double flatOut) {

        double acceptedSamplesPerSecond() {
            return publishes * samplesPerPublish / seconds;
        }

        double serverMicrosPerPublish() {
            return cpu.serverNanos() / 1e3 / publishes;
        }

        double processMicrosPerPublish() {
            return cpu.processNanos() / 1e3 / publishes;
        }

        /** CPU µs per publish of the broker's extension executor, where interceptors and authorizers run. */
        double extensionMicrosPerPublish() {
            return cpu.poolNanos(EXTENSION_POOL) / 1e3 / publishes;
        }

        /** Whether the run took at least 95 % of the offered rate: otherwise it measured a backlog, not a cost. */
        boolean sustained() {
            return acceptedSamplesPerSecond() >= 0.95 * offered;
        }
    }

    /** Every run, and ns per {@link AccessPolicy#mayPublish} on the benchmark's ACL (best of 3 passes of checks). */
    record Result(double offered, List<Run> runs, double checkNanos, int checks) {

        List<Run> of(final String variant) {
            return runs.stream().filter(r -> r.variant.equals(variant)).toList();
        }

        /** Median over the sustained pairs of (auth+ACL server CPU per publish / auth off's) − 1, in percent. */
        double serverCostPercent() {
            return pairedChange(Run::serverMicrosPerPublish, sustainedPairs());
        }

        /** As {@link #serverCostPercent} for the extension executor's CPU alone. */
        double extensionCostPercent() {
            return pairedChange(Run::extensionMicrosPerPublish, sustainedPairs());
        }

        /** As {@link #serverCostPercent} for the whole process's CPU (load generator included). */
        double processCostPercent() {
            return pairedChange(Run::processMicrosPerPublish, sustainedPairs());
        }

        /** Median over all pairs of (auth+ACL flat-out samples/s / auth off's) − 1, in percent. */
        double flatOutChangePercent() {
            return pairedChange(Run::flatOut, runs.stream().map(Run::pair).distinct().toList());
        }

        private Run run(final int pair, final String variant) {
            return runs.stream().filter(r -> r.pair == pair && r.variant.equals(variant)).findFirst().orElseThrow();
        }

        /** Pairs in which both runs sustained the offered rate. */
        List<Integer> sustainedPairs() {
            return runs.stream().map(Run::pair).distinct().filter(pair -> runs.stream()
                    .filter(r -> r.pair == pair).allMatch(Run::sustained)).toList();
        }

        /** Median over {@code pairs} of (auth+ACL {@code figure} / auth off's) − 1, in percent. */
        private double pairedChange(final ToDoubleFunction<Run> figure, final List<Integer> pairs) {
            final List<Double> ratios = new ArrayList<>();
            for (final int pair : pairs) {
                ratios.add(figure.applyAsDouble(run(pair, IngestScenario.AUTH_ACL))
                        / figure.applyAsDouble(run(pair, IngestScenario.AUTH_OFF)));
            }
            return ratios.isEmpty() ? Double.NaN : 100 * (Stats.median(ratios) - 1);
        }
    }

    /** HiveMQ's pool for extension work: the telemetry interceptor and any authorizer run there. */
    static final String EXTENSION_POOL = "extension-task-executor";

    private static final int CHECKS = 5_000_000;
    private static final int SMOKE_CHECKS = 100_000;

    private AclCostScenario() {
    }

    /** @param offered samples/s offered in every run */
    static Result run(final SuiteOptions options, final double offered, final Path root, final PrintStream progress)
            throws Exception {
        progress.println("# acl cost: cellwatch auth off vs auth+ACL, QoS 1 paced at " + rate(offered)
                + " samples/s, " + options.runs() + " pair(s) of " + num(options.runSeconds(), 1) + " s");
        final List<Run> runs = new ArrayList<>();
        Path policyDir = null;
        // Pair 0 warms the JIT up on both variants' code paths; a first run on a cold JVM does not keep the rate.
        // The smoke run only checks that the harness works, and skips it.
        for (int pair = options.smoke() ? 1 : 0; pair <= options.runs(); pair++) {
            final boolean aclFirst = pair % 2 == 0;
            for (final boolean acl : aclFirst ? new boolean[]{true, false} : new boolean[]{false, true}) {
                final Path dir = root.resolve((acl ? "acl-" : "off-") + pair);
                final Run run = measure(options, offered, pair, acl, dir, progress);
                if (pair > 0) {
                    runs.add(run);
                }
                if (acl && policyDir == null) {
                    policyDir = dir.resolve("conf");
                }
            }
        }
        return new Result(offered, runs, checkNanos(policyDir, options.load(),
                options.smoke() ? SMOKE_CHECKS : CHECKS), options.smoke() ? SMOKE_CHECKS : CHECKS);
    }

    private static Run measure(final SuiteOptions options, final double offered, final int pair, final boolean acl,
                               final Path dir, final PrintStream progress) throws Exception {
        final String variant = acl ? IngestScenario.AUTH_ACL : IngestScenario.AUTH_OFF;
        try (BrokerUnderTest broker = acl
                ? IngestScenario.authEnforcing(CellwatchBroker.start(variant,
                        BenchServers.authAndAcl(dir, options.load()), BenchServers.GATEWAY_PASSWORD))
                : CellwatchBroker.start(variant, BenchServers.authOff(dir), null);
             MqttLoad load = MqttLoad.connect(options.load().withQos(1), broker.mqttPort(), broker.gatewayPassword())) {
            load.paced(offered, Math.max(0.5, options.warmupSeconds()));
            final long before = broker.acceptedPublishes();
            final ThreadCpu start = ThreadCpu.now();
            final MqttLoad.Run measured = load.paced(offered, options.runSeconds());
            final ThreadCpu used = ThreadCpu.now().since(start);
            final long publishes = broker.acceptedPublishes() - before;
            if (measured.failed() > 0 || publishes < measured.sent()) {
                throw new IllegalStateException(variant + ": " + measured.failed() + " publishes failed, "
                        + publishes + " of " + measured.sent() + " accepted: the figure would not be a cost");
            }
            final long beforeFlatOut = broker.acceptedPublishes();
            final MqttLoad.Run flat = load.flatOut(options.runSeconds());
            final double flatOut = (broker.acceptedPublishes() - beforeFlatOut) * load.shape().payload().samples()
                    / flat.seconds();
            final Run run = new Run(variant, pair, offered, measured.seconds(), publishes,
                    load.shape().payload().samples(), used, flatOut);
            progress.println("#   " + (pair == 0 ? "warm-up" : "pair " + pair) + ", " + variant + ": accepted "
                    + rate(run.acceptedSamplesPerSecond()) + " samples/s, server CPU "
                    + num(run.serverMicrosPerPublish(), 2) + " µs/publish (extension executor "
                    + num(run.extensionMicrosPerPublish(), 2) + "), process " + num(run.processMicrosPerPublish(), 2)
                    + " µs/publish; then flat out " + rate(flatOut) + " samples/s; server CPU by pool (ns) "
                    + used.serverPools());
            return run;
        }
    }

    /** ns per publish check of a gateway on the policy the auth+ACL runs used; best of 3 passes after a warm-up. */
    private static double checkNanos(final Path conf, final LoadShape shape, final int checks) throws Exception {
        final AccessPolicy policy = AccessPolicy.load(conf.resolve("passwd"), conf.resolve("acl"));
        final String clientId = LoadShape.clientId(0);
        final Principal gateway = policy.principal(clientId).orElseThrow();
        final String topic = LoadShape.cellNode(0, shape.cells()).node();
        boolean allowed = true;
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < 4; pass++) {
            final long start = System.nanoTime();
            for (int i = 0; i < checks; i++) {
                allowed &= policy.mayPublish(gateway, clientId, topic);
            }
            final double ns = (System.nanoTime() - start) / (double) checks;
            if (pass > 0) {
                best = Math.min(best, ns);
            }
        }
        if (!allowed) {
            throw new IllegalStateException("the benchmark's ACL refused its own gateway's topic " + topic);
        }
        return best;
    }

    static List<String> render(final SuiteOptions options, final Result result) {
        final List<String> out = new ArrayList<>();
        out.add("### ACL cost on the publish path");
        out.add("");
        out.add("cellwatch auth off vs auth+ACL, " + options.load().withQos(1) + ", paced at " + rate(result.offered())
                + " samples/s; " + options.runs() + " pair(s) of " + num(options.runSeconds(), 1) + " s runs after a "
                + num(Math.max(0.5, options.warmupSeconds()), 1) + " s paced warm-up, fresh server per run, order "
                + "alternating per pair. Server CPU = CPU time of every thread but the load generator's (broker, "
                + "extension, WAL, DuckDB writer, HTTP), per publish the broker accepted; extension executor = "
                + "HiveMQ's " + EXTENSION_POOL + " threads alone, where the telemetry interceptor (and any HiveMQ "
                + "authorizer) runs; process CPU includes the generator. After each paced run the same server takes "
                + num(options.runSeconds(), 1) + " s of flat-out QoS 1 (same connections, window "
                + options.load().window() + "): accepted samples/s.");
        out.add("");
        final MarkdownTable table = new MarkdownTable("pair", "variant", "paced: accepted samples/s",
                "server CPU µs/publish", "extension executor CPU µs/publish", "process CPU µs/publish",
                "flat out: accepted samples/s");
        for (final Run run : result.runs()) {
            table.row(run.pair(), run.variant(), rate(run.acceptedSamplesPerSecond()) + (run.sustained() ? ""
                            : " (not sustained)"), num(run.serverMicrosPerPublish(), 2),
                    num(run.extensionMicrosPerPublish(), 2), num(run.processMicrosPerPublish(), 2),
                    rate(run.flatOut()));
        }
        out.addAll(table.render());
        out.add("");
        final MarkdownTable summary = new MarkdownTable("variant", "server CPU µs/publish median (min–max)",
                "extension executor CPU µs/publish", "process CPU µs/publish", "flat out samples/s");
        for (final String variant : List.of(IngestScenario.AUTH_OFF, IngestScenario.AUTH_ACL)) {
            final List<Run> runs = result.of(variant);
            summary.row(variant, spread(runs.stream().map(Run::serverMicrosPerPublish).toList()),
                    spread(runs.stream().map(Run::extensionMicrosPerPublish).toList()),
                    spread(runs.stream().map(Run::processMicrosPerPublish).toList()),
                    rate(Stats.median(runs.stream().map(Run::flatOut).toList())) + " ("
                            + rate(Stats.min(runs.stream().map(Run::flatOut).toList())) + "–"
                            + rate(Stats.max(runs.stream().map(Run::flatOut).toList())) + ")");
        }
        out.addAll(summary.render());
        out.add("");
        out.add("ACL cost (median over the pairs of auth+ACL / auth off − 1; pairs whose paced runs both kept the "
                + "rate: " + result.sustainedPairs().size() + " of " + result.of(IngestScenario.AUTH_OFF).size()
                + "): **" + signed(result.serverCostPercent()) + " server CPU per publish**, "
                + signed(result.extensionCostPercent()) + " extension executor CPU per publish, "
                + signed(result.processCostPercent()) + " process CPU per publish; flat-out accepted samples/s "
                + signed(result.flatOutChangePercent()) + " (all pairs). The policy's own check (`AccessPolicy.mayPublish`, a gateway on the benchmark's ACL, one thread, "
                + "best of 3 × " + rate(result.checks()) + "): " + num(result.checkNanos(), 1) + " ns.");
        out.add("");
        return out;
    }

    static String signed(final double percent) {
        return (percent >= 0 ? "+" : "") + num(percent, 1) + " %";
    }

    private static String spread(final List<Double> values) {
        return num(Stats.median(values), 2) + " (" + num(Stats.min(values), 2) + "–" + num(Stats.max(values), 2)
                + ")";
    }
}
