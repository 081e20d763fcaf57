package io.cellwatch.bench;

import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.AlertSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Cost of alert rules on ingest: the same paced QoS 1 load against cellwatch (auth off) with no rules file and with
 * {@value #RULES} rules loaded, in pairs whose order alternates, like the ACL cost ({@link AclCostScenario}). Measured
 * per accepted publish: the extension executor's CPU (the publish path, where the only alert work is one queue
 * offer), the alert thread's CPU and the server's; then flat out on the same server. The alert engine's own counters
 * show it kept up (samples judged, samples dropped for alerting).
 */
final class AlertCostScenario {

    static final int RULES = 1_000;
    static final String NONE = "no rules";
    static final String LOADED = RULES + " rules";
    private static final String ALERT_THREAD = "cellwatch-alerts";

    /** One measured run. */
    record Run(String variant, int pair, double offered, double seconds, long publishes, int samplesPerPublish,
               ThreadCpu cpu, double flatOut, double evaluated, double dropped) {

        double acceptedSamplesPerSecond() {
            return publishes * samplesPerPublish / seconds;
        }

        double serverMicrosPerPublish() {
            return cpu.serverNanos() / 1e3 / publishes;
        }

        double extensionMicrosPerPublish() {
            return cpu.poolNanos(AclCostScenario.EXTENSION_POOL) / 1e3 / publishes;
        }

        double alertMicrosPerPublish() {
            return cpu.poolNanos(ALERT_THREAD) / 1e3 / publishes;
        }
    }

    private AlertCostScenario() {
    }

    /** {@code alerts [suite flags]}: prints progress, then the report as Markdown. */
    static void main(final String[] args) {
        try {
            final SuiteOptions options = SuiteOptions.parse(List.of(args));
            final Path root = Files.createTempDirectory("cellwatch-bench-alerts-");
            final List<String> machine = new ArrayList<>(MachineInfo.describe(root));
            machine.forEach(line -> System.out.println("# " + line));
            final List<Run> runs = run(options, options.aclRate(), root, System.out);
            machine.add(MachineInfo.loadAverage("end"));
            System.out.println();
            System.out.println("command: `java -jar bench/target/cellwatch-bench.jar alerts " + String.join(" ", args)
                    + "`");
            machine.forEach(line -> System.out.println("- " + line));
            System.out.println();
            render(options, runs).forEach(System.out::println);
            System.exit(0);
        } catch (final Exception | Error e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static List<Run> run(final SuiteOptions options, final double offered, final Path root, final PrintStream progress)
            throws Exception {
        progress.println("# alert cost: cellwatch (auth off) with no rules vs " + RULES + " rules, QoS 1 paced at "
                + rate(offered) + " samples/s, " + options.runs() + " pair(s) of " + num(options.runSeconds(), 1)
                + " s");
        final List<Run> runs = new ArrayList<>();
        // Pair 0 warms the JIT up on both variants; the smoke run skips it.
        for (int pair = options.smoke() ? 1 : 0; pair <= options.runs(); pair++) {
            final boolean rulesFirst = pair % 2 == 0;
            for (final boolean rules : rulesFirst ? new boolean[]{true, false} : new boolean[]{false, true}) {
                final Run run = measure(options, offered, pair, rules,
                        root.resolve((rules ? "rules-" : "none-") + pair), progress);
                if (pair > 0) {
                    runs.add(run);
                }
            }
        }
        return runs;
    }

    private static Run measure(final SuiteOptions options, final double offered, final int pair, final boolean rules,
                               final Path dir, final PrintStream progress) throws Exception {
        final String variant = rules ? LOADED : NONE;
        final ServerConfig base = BenchServers.authOff(dir);
        final Path file = dir.resolve("conf").resolve("alerts.rules");
        if (rules) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, rulesFile(RULES));
        }
        final ServerConfig config = base.withExtension(base.extension().withAlerts(new AlertSettings(file, 500)));
        try (CellwatchBroker broker = CellwatchBroker.start(variant, config, null);
             MqttLoad load = MqttLoad.connect(options.load().withQos(1), broker.mqttPort(), null)) {
            load.paced(offered, Math.max(0.5, options.warmupSeconds()));
            final long before = broker.acceptedPublishes();
            final double evaluatedBefore = broker.metrics().value("cellwatch_alerts_samples_evaluated_total");
            final ThreadCpu start = ThreadCpu.now();
            final MqttLoad.Run measured = load.paced(offered, options.runSeconds());
            final ThreadCpu used = ThreadCpu.now().since(start);
            final long publishes = broker.acceptedPublishes() - before;
            if (measured.failed() > 0 || publishes < measured.sent()) {
                throw new IllegalStateException(variant + ": " + measured.failed() + " publishes failed, "
                        + publishes + " of " + measured.sent() + " accepted: the figure would not be a cost");
            }
            final double evaluated = broker.metrics().value("cellwatch_alerts_samples_evaluated_total") - evaluatedBefore;
            final long beforeFlatOut = broker.acceptedPublishes();
            final MqttLoad.Run flat = load.flatOut(options.runSeconds());
            final double flatOut = (broker.acceptedPublishes() - beforeFlatOut) * load.shape().payload().samples()
                    / flat.seconds();
            final double dropped = broker.metrics().value("cellwatch_alerts_samples_dropped_total");
            final Run run = new Run(variant, pair, offered, measured.seconds(), publishes,
                    load.shape().payload().samples(), used, flatOut, evaluated, dropped);
            progress.println("#   " + (pair == 0 ? "warm-up" : "pair " + pair) + ", " + variant + ": accepted "
                    + rate(run.acceptedSamplesPerSecond()) + " samples/s, server CPU "
                    + num(run.serverMicrosPerPublish(), 2) + " µs/publish (extension executor "
                    + num(run.extensionMicrosPerPublish(), 2) + ", alert thread " + num(run.alertMicrosPerPublish(), 2)
                    + "); alert engine judged " + rate(evaluated) + " samples; then flat out " + rate(flatOut)
                    + " samples/s, dropped for alerting over both " + rate(dropped));
            return run;
        }
    }

    /**
     * {@code count} rules for tenant {@value BenchServers#TENANT}, a fifth of each kind. Of each kind, ten watch the
     * load's plant (p1) with levels it never reaches, so every sample is judged by ten rules of its metric's kinds
     * and nothing is raised; the rest watch plants the load does not have (p2…), as a large fleet's rules would.
     */
    static String rulesFile(final int count) {
        final StringBuilder out = new StringBuilder("# Written by the benchmark.\ntenant ")
                .append(BenchServers.TENANT).append('\n');
        final String[] kinds = {
                "threshold plants/%s/racks/+/packs/+/cells/+/temperature > %d",
                "rate plants/%s/racks/+/packs/+/cells/+/voltage > %d",
                "stale plants/%s/racks/+/packs/+/cells/+/soc > %dh",
                "aggregate spread plants/%s/racks/+/packs/+/cells/+/voltage > %d",
                "zscore plants/%s/racks/+/packs/+/cells/+/temperature > %d window 60"};
        for (int i = 0; i < count; i++) {
            final int kind = i % kinds.length;
            final int n = i / kinds.length;
            final String plant = n < 10 ? "p1" : "p" + (n + 1);
            out.append("alert r").append(i).append(' ')
                    .append(String.format(kinds[kind], plant, 1000 + n)).append(" hold 1s clear-hold 1s\n");
        }
        return out.toString();
    }

    static List<String> render(final SuiteOptions options, final List<Run> runs) {
        final List<String> out = new ArrayList<>();
        out.add("### Alert rules on the ingest path: none vs " + RULES);
        out.add("");
        out.add("cellwatch with auth off, " + options.load().withQos(1) + ", paced at " + rate(options.aclRate())
                + " samples/s; " + options.runs() + " pair(s) of " + num(options.runSeconds(), 1) + " s after a "
                + num(Math.max(0.5, options.warmupSeconds()), 1) + " s paced warm-up, fresh server per run, order "
                + "alternating. " + RULES + " rules: a fifth of each kind, ten per kind on the load's plant (every "
                + "sample judged by about ten rules), the rest on plants without data. CPU per publish the broker "
                + "accepted: extension executor = the publish path; alert thread = `" + ALERT_THREAD + "`; server = "
                + "every thread but the load generator's. Then flat-out QoS 1 on the same server.");
        out.add("");
        final MarkdownTable table = new MarkdownTable("pair", "variant", "paced: accepted samples/s",
                "extension executor CPU µs/publish", "alert thread CPU µs/publish", "server CPU µs/publish",
                "samples judged (paced)", "flat out: accepted samples/s", "dropped for alerting");
        for (final Run run : runs) {
            table.row(run.pair(), run.variant(), rate(run.acceptedSamplesPerSecond()),
                    num(run.extensionMicrosPerPublish(), 2), num(run.alertMicrosPerPublish(), 2),
                    num(run.serverMicrosPerPublish(), 2), rate(run.evaluated()), rate(run.flatOut()),
                    rate(run.dropped()));
        }
        out.addAll(table.render());
        out.add("");
        out.add("Median over the pairs of " + LOADED + " / " + NONE + " − 1: extension executor CPU per publish "
                + AclCostScenario.signed(paired(runs, Run::extensionMicrosPerPublish)) + ", server CPU per publish "
                + AclCostScenario.signed(paired(runs, Run::serverMicrosPerPublish)) + ", flat-out samples/s "
                + AclCostScenario.signed(paired(runs, Run::flatOut)) + ".");
        out.add("");
        return out;
    }

    private static double paired(final List<Run> runs, final ToDoubleFunction<Run> figure) {
        final List<Double> ratios = new ArrayList<>();
        for (final int pair : runs.stream().map(Run::pair).distinct().toList()) {
            final Run none = runs.stream().filter(r -> r.pair() == pair && r.variant().equals(NONE)).findFirst()
                    .orElseThrow();
            final Run loaded = runs.stream().filter(r -> r.pair() == pair && r.variant().equals(LOADED)).findFirst()
                    .orElseThrow();
            ratios.add(figure.applyAsDouble(loaded) / figure.applyAsDouble(none));
        }
        return ratios.isEmpty() ? Double.NaN : 100 * (Stats.median(ratios) - 1);
    }
}
