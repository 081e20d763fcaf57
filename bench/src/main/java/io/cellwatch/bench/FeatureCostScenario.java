package io.cellwatch.bench;

import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.AlertSettings;
import io.cellwatch.extension.config.AnalyticsSettings;

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
 * Cost of an off-thread feature on ingest — alert rules ({@link Feature#ALERTS}) or battery analytics
 * ({@link Feature#ANALYTICS}) — measured the same way: the same paced QoS 1 load against cellwatch (auth off) with
 * the feature off and on, in pairs whose order alternates, like the ACL cost ({@link AclCostScenario}). Measured per
 * accepted publish: the extension executor's CPU (the publish path, where the feature's only work is one queue offer),
 * the feature thread's CPU and the server's; then flat out on the same server. The feature's own counters show it
 * kept up (samples it took, publishes it dropped).
 */
final class FeatureCostScenario {

    static final int RULES = 1_000;

    /**
     * A feature measured off and on.
     *
     * @param command  the bench command
     * @param title    the report's heading
     * @param off      the variant name without it
     * @param on       the variant name with it
     * @param thread   its thread's name
     * @param taken    the counter of samples it took
     * @param dropped  the counter of publishes it dropped (queue full)
     * @param what     one sentence: what "on" means
     */
    record Feature(String command, String title, String off, String on, String thread, String taken, String dropped,
                   String what) {

        static final Feature ALERTS = new Feature("alerts", "Alert rules on the ingest path: none vs " + RULES,
                "no rules", RULES + " rules", "cellwatch-alerts", "cellwatch_alerts_samples_evaluated_total",
                "cellwatch_alerts_samples_dropped_total", RULES + " rules: a fifth of each kind, ten per kind on the "
                + "load's plant (every sample judged by about ten rules), the rest on plants without data.");
        static final Feature ANALYTICS = new Feature("analytics-cost", "Battery analytics on the ingest path: off vs on",
                "analytics off", "analytics on", "cellwatch-analytics", "cellwatch_analytics_samples_total",
                "cellwatch_analytics_publishes_dropped_total", "analytics on: every cell publish's voltage routed to "
                + "its pack's estimators (`analytics.enabled`; off, the publish path hands nothing over).");

        /** The server's config with the feature {@code enabled}, writing any file it needs under {@code dir}. */
        ServerConfig configure(final ServerConfig base, final boolean enabled, final Path dir) throws IOException {
            final Path file = dir.resolve("conf").resolve("alerts.rules");
            if (this == ALERTS && enabled) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, rulesFile(RULES));
            }
            final ServerConfig withAlerts = base.withExtension(base.extension()
                    .withAlerts(new AlertSettings(file, 500)));
            final boolean analytics = this == ANALYTICS ? enabled : true;
            return withAlerts.withExtension(withAlerts.extension()
                    .withAnalytics(AnalyticsSettings.defaults().withEnabled(analytics)));
        }

        String variant(final boolean enabled) {
            return enabled ? on : off;
        }
    }

    /** One measured run. */
    record Run(String variant, int pair, double offered, double seconds, long publishes, int samplesPerPublish,
               ThreadCpu cpu, String thread, double flatOut, double taken, double dropped) {

        double acceptedSamplesPerSecond() {
            return publishes * samplesPerPublish / seconds;
        }

        double serverMicrosPerPublish() {
            return cpu.serverNanos() / 1e3 / publishes;
        }

        double extensionMicrosPerPublish() {
            return cpu.poolNanos(AclCostScenario.EXTENSION_POOL) / 1e3 / publishes;
        }

        double featureMicrosPerPublish() {
            return cpu.poolNanos(thread) / 1e3 / publishes;
        }
    }

    private FeatureCostScenario() {
    }

    /** {@code alerts|analytics-cost [suite flags]}: prints progress, then the report as Markdown. */
    static void main(final Feature feature, final String[] args) {
        try {
            final SuiteOptions options = SuiteOptions.parse(List.of(args));
            final Path root = Files.createTempDirectory("cellwatch-bench-" + feature.command() + "-");
            final List<String> machine = new ArrayList<>(MachineInfo.describe(root));
            machine.forEach(line -> System.out.println("# " + line));
            final List<Run> runs = run(feature, options, options.aclRate(), root, System.out);
            machine.add(MachineInfo.loadAverage("end"));
            System.out.println();
            System.out.println("command: `java -jar bench/target/cellwatch-bench.jar " + feature.command() + " "
                    + String.join(" ", args) + "`");
            machine.forEach(line -> System.out.println("- " + line));
            System.out.println();
            render(feature, options, runs).forEach(System.out::println);
            System.exit(0);
        } catch (final Exception | Error e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static List<Run> run(final Feature feature, final SuiteOptions options, final double offered, final Path root,
                         final PrintStream progress) throws Exception {
        progress.println("# " + feature.command() + ": cellwatch (auth off), " + feature.off() + " vs "
                + feature.on() + ", QoS 1 paced at " + rate(offered) + " samples/s, " + options.runs()
                + " pair(s) of " + num(options.runSeconds(), 1) + " s");
        final List<Run> runs = new ArrayList<>();
        // Pair 0 warms the JIT up on both variants; the smoke run skips it.
        for (int pair = options.smoke() ? 1 : 0; pair <= options.runs(); pair++) {
            final boolean onFirst = pair % 2 == 0;
            for (final boolean on : onFirst ? new boolean[]{true, false} : new boolean[]{false, true}) {
                final Run run = measure(feature, options, offered, pair, on,
                        root.resolve((on ? "on-" : "off-") + pair), progress);
                if (pair > 0) {
                    runs.add(run);
                }
            }
        }
        return runs;
    }

    private static Run measure(final Feature feature, final SuiteOptions options, final double offered,
                               final int pair, final boolean on, final Path dir, final PrintStream progress)
            throws Exception {
        final String variant = feature.variant(on);
        final ServerConfig config = feature.configure(BenchServers.authOff(dir), on, dir);
        try (CellwatchBroker broker = CellwatchBroker.start(variant, config, null);
             MqttLoad load = MqttLoad.connect(options.load().withQos(1), broker.mqttPort(), null)) {
            load.paced(offered, Math.max(0.5, options.warmupSeconds()));
            final long before = broker.acceptedPublishes();
            final double takenBefore = broker.metrics().value(feature.taken());
            final ThreadCpu start = ThreadCpu.now();
            final MqttLoad.Run measured = load.paced(offered, options.runSeconds());
            final ThreadCpu used = ThreadCpu.now().since(start);
            final long publishes = broker.acceptedPublishes() - before;
            if (measured.failed() > 0 || publishes < measured.sent()) {
                throw new IllegalStateException(variant + ": " + measured.failed() + " publishes failed, "
                        + publishes + " of " + measured.sent() + " accepted: the figure would not be a cost");
            }
            final double taken = broker.metrics().value(feature.taken()) - takenBefore;
            final long beforeFlatOut = broker.acceptedPublishes();
            final MqttLoad.Run flat = load.flatOut(options.runSeconds());
            final double flatOut = (broker.acceptedPublishes() - beforeFlatOut) * load.shape().payload().samples()
                    / flat.seconds();
            final double dropped = broker.metrics().value(feature.dropped());
            final Run run = new Run(variant, pair, offered, measured.seconds(), publishes,
                    load.shape().payload().samples(), used, feature.thread(), flatOut, taken, dropped);
            progress.println("#   " + (pair == 0 ? "warm-up" : "pair " + pair) + ", " + variant + ": accepted "
                    + rate(run.acceptedSamplesPerSecond()) + " samples/s, server CPU "
                    + num(run.serverMicrosPerPublish(), 2) + " µs/publish (extension executor "
                    + num(run.extensionMicrosPerPublish(), 2) + ", " + feature.thread() + " "
                    + num(run.featureMicrosPerPublish(), 2) + "); it took " + rate(taken) + " samples; then flat out "
                    + rate(flatOut) + " samples/s, dropped over both " + rate(dropped));
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

    static List<String> render(final Feature feature, final SuiteOptions options, final List<Run> runs) {
        final List<String> out = new ArrayList<>();
        out.add("### " + feature.title());
        out.add("");
        out.add("cellwatch with auth off, " + options.load().withQos(1) + ", paced at " + rate(options.aclRate())
                + " samples/s; " + options.runs() + " pair(s) of " + num(options.runSeconds(), 1) + " s after a "
                + num(Math.max(0.5, options.warmupSeconds()), 1) + " s paced warm-up, fresh server per run, order "
                + "alternating. " + feature.what() + " CPU per publish the broker accepted: extension executor = the "
                + "publish path; feature thread = `" + feature.thread() + "`; server = every thread but the load "
                + "generator's. Then flat-out QoS 1 on the same server.");
        out.add("");
        final MarkdownTable table = new MarkdownTable("pair", "variant", "paced: accepted samples/s",
                "extension executor CPU µs/publish", "feature thread CPU µs/publish", "server CPU µs/publish",
                "samples taken by the feature (paced)", "flat out: accepted samples/s", "publishes dropped by it");
        for (final Run run : runs) {
            table.row(run.pair(), run.variant(), rate(run.acceptedSamplesPerSecond()),
                    num(run.extensionMicrosPerPublish(), 2), num(run.featureMicrosPerPublish(), 2),
                    num(run.serverMicrosPerPublish(), 2), rate(run.taken()), rate(run.flatOut()),
                    rate(run.dropped()));
        }
        out.addAll(table.render());
        out.add("");
        out.add("Median over the pairs of " + feature.on() + " / " + feature.off() + " − 1: extension executor CPU "
                + "per publish " + AclCostScenario.signed(paired(feature, runs, Run::extensionMicrosPerPublish))
                + ", server CPU per publish " + AclCostScenario.signed(paired(feature, runs,
                Run::serverMicrosPerPublish)) + ", flat-out samples/s "
                + AclCostScenario.signed(paired(feature, runs, Run::flatOut)) + ".");
        out.add("");
        return out;
    }

    private static double paired(final Feature feature, final List<Run> runs, final ToDoubleFunction<Run> figure) {
        final List<Double> ratios = new ArrayList<>();
        for (final int pair : runs.stream().map(Run::pair).distinct().toList()) {
            final Run off = runs.stream().filter(r -> r.pair() == pair && r.variant().equals(feature.off()))
                    .findFirst().orElseThrow();
            final Run on = runs.stream().filter(r -> r.pair() == pair && r.variant().equals(feature.on()))
                    .findFirst().orElseThrow();
            ratios.add(figure.applyAsDouble(on) / figure.applyAsDouble(off));
        }
        return ratios.isEmpty() ? Double.NaN : 100 * (Stats.median(ratios) - 1);
    }
}
