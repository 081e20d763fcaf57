package io.cellwatch.bench;

import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Latency: publish → WebSocket delivery, with the load generator and the WebSocket clients in a separate JVM
 * ({@link LiveLoadMain}) from the server (this JVM), so the server's figure is not the load generator's. Clients
 * watch overlapping subtrees (every 20th the whole plant, four in 20 one rack, the rest one pack) while gateways
 * publish node payloads at QoS 1, paced. Steps, on one server: {@link SuiteOptions#wsClients} clients at
 * {@link SuiteOptions#latencyRate}; {@link SuiteOptions#wsClientsLarge} clients plus one that stops reading; then the
 * degradation curve, {@link SuiteOptions#wsClients} clients at each of {@link SuiteOptions#curveRates}. Each step: a
 * paced warm-up, then {@link SuiteOptions#runs} measured runs.
 */
final class LatencyScenario {

    /**
     * One measured run; {@code deliveries} (publish → WebSocket) and {@code acks} (publish → PUBACK) in µs;
     * {@code serverP50} / {@code serverP99} the server's own fan-out → socket written quantiles in µs; the CPU cores
     * the server's and the client's JVM used over the run.
     */
    record Run(double offered, double achieved, double seconds, Histogram deliveries, long unmatched,
               Histogram acks, long serverP50, long serverP99, double serverCores, double clientCores, long bytesRead) {
    }

    /**
     * One step: a client JVM with {@code clients} clients at one offered rate.
     *
     * @param measuredClients clients whose every delivery was timed (the others read every frame unscanned)
     * @param closedReading clients that kept reading and were closed anyway (should be 0)
     * @param slowClosed    clients the server closed as too slow during the step (its own counter)
     * @param server        the server's live counters over the whole step, warm-up included
     */
    record Step(String label, int clients, boolean stalled, double offered, List<Run> runs, int plantClients,
                int rackClients, int packClients, int measuredClients, long closedReading, long slowClosed,
                LiveCounters server) {

        double medianP99Ms() {
            return Stats.median(runs.stream().map(r -> r.deliveries().getValueAtPercentile(99) / 1000.0).toList());
        }

        double medianP50Ms() {
            return Stats.median(runs.stream().map(r -> r.deliveries().getValueAtPercentile(50) / 1000.0).toList());
        }

        double medianAchieved() {
            return Stats.median(runs.stream().map(Run::achieved).toList());
        }
    }

    /** The server's own live fan-out counters ({@code cellwatch_live_*}) over one step. */
    record LiveCounters(double seconds, long flushes, long encoded, long sent, long coalesced, long dropped) {

        static final String[] NAMES = {"flushes", "frames_encoded", "frames_sent", "frames_coalesced",
                "frames_dropped"};

        static long[] read(final MetricsScrape metrics) throws Exception {
            final long[] values = new long[NAMES.length];
            for (int i = 0; i < NAMES.length; i++) {
                values[i] = (long) metrics.value("cellwatch_live_" + NAMES[i] + "_total");
            }
            return values;
        }

        static LiveCounters between(final long[] before, final long[] after, final double seconds) {
            return new LiveCounters(seconds, after[0] - before[0], after[1] - before[1], after[2] - before[2],
                    after[3] - before[3], after[4] - before[4]);
        }
    }

    /** Every step, the headline one first. */
    record Result(List<Step> steps, int series) {

        Step headline() {
            return steps.get(0);
        }
    }

    private LatencyScenario() {
    }

    static Result run(final SuiteOptions options, final Path dir, final PrintStream progress) throws Exception {
        final LoadShape shape = options.load().withGateways(options.latencyGateways()).withQos(1);
        final List<Step> steps = new ArrayList<>();
        try (CellwatchBroker broker = CellwatchBroker.start(IngestScenario.AUTH_OFF, BenchServers.authOff(dir), null)) {
            if (!options.smoke()) {
                // The smoke run keeps to one client JVM: the large step runs the same code plus the stalled client.
                steps.add(step("base", options, shape, broker, options.wsClients(), false, options.latencyRate(),
                        progress));
            }
            steps.add(step("large", options, shape, broker, options.wsClientsLarge(), true, options.latencyRate(),
                    progress));
            for (final int rate : options.curveRates()) {
                if (rate != options.latencyRate()) {
                    steps.add(step("curve", options, shape, broker, options.wsClients(), false, rate, progress));
                }
            }
        }
        return new Result(steps, shape.gateways() * shape.cells() * 3);
    }

    private static Step step(final String label, final SuiteOptions options, final LoadShape shape,
                             final CellwatchBroker broker, final int clients, final boolean stalled,
                             final double rate, final PrintStream progress) throws Exception {
        return step(label, options, shape, broker.mqttPort(), broker.server().httpPort(), broker.server().httpPort(),
                broker.metrics(), clients, stalled, rate, progress);
    }

    /**
     * One step whose gateways publish to {@code mqttPort} and whose WebSocket clients watch {@code httpPort}; the
     * accepted count is read at {@code acceptedHttpPort} (another node's, when the clients watch a serving node of a
     * cluster); {@code live} reads the watched node's live counters.
     */
    static Step step(final String label, final SuiteOptions options, final LoadShape shape, final int mqttPort,
                     final int httpPort, final int acceptedHttpPort, final MetricsScrape live, final int clients,
                     final boolean stalled, final double rate, final PrintStream progress) throws Exception {
        progress.println("# latency (" + label + "): " + clients + " WebSocket clients" + (stalled ? " + 1 stalled"
                : "") + ", " + shape + ", " + rate(rate) + " samples/s, clients and load in a separate JVM");
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-XX:+UseParallelGC"));
        // E.g. -Dbench.client-jvm-options=-XX:StartFlightRecording=filename=client.jfr to profile the client side.
        final String extra = System.getProperty("bench.client-jvm-options", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LiveLoadMain.class.getName(),
                "mqtt=" + mqttPort, "http=" + httpPort, "accepted-http=" + acceptedHttpPort,
                "gateways=" + shape.gateways(), "cells=" + shape.cells(), "window=" + shape.window(),
                "rate=" + rate, "warmup=" + Math.max(0.5, options.latencyWarmupSeconds()),
                "seconds=" + options.latencySeconds(), "runs=" + options.runs(), "clients=" + clients,
                "stalled=" + stalled));
        final long[] countersBefore = LiveCounters.read(live);
        final long started = System.nanoTime();
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final List<Run> runs = new ArrayList<>();
        int[] mix = {0, 0, 0, 0};
        long closedReading = -1;
        long slowClosed = -1;
        final List<String> unexpected = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                final String[] words = line.split(" ");
                switch (words[0]) {
                    case "#" -> progress.println("#   " + line.substring(2));
                    case "CLIENTS" -> mix = new int[]{Integer.parseInt(words[1]), Integer.parseInt(words[2]),
                            Integer.parseInt(words[3]), Integer.parseInt(words[4])};
                    case "RUN" -> runs.add(new Run(Double.parseDouble(words[1]), Double.parseDouble(words[2]),
                            Double.parseDouble(words[3]), LiveLoadMain.decode(words[5]), Long.parseLong(words[4]),
                            LiveLoadMain.decode(words[6]), Long.parseLong(words[7]), Long.parseLong(words[8]),
                            Double.parseDouble(words[9]), Double.parseDouble(words[10]), Long.parseLong(words[11])));
                    case "END" -> {
                        closedReading = Long.parseLong(words[1]);
                        slowClosed = Long.parseLong(words[2]);
                    }
                    default -> unexpected.add(line);
                }
            }
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (process.exitValue() != 0 || closedReading < 0) {
            throw new IllegalStateException("latency client JVM failed (exit " + process.exitValue() + "): "
                    + String.join("\n", unexpected.subList(Math.max(0, unexpected.size() - 20), unexpected.size())));
        }
        final LiveCounters server = LiveCounters.between(countersBefore, LiveCounters.read(live),
                (System.nanoTime() - started) / 1e9);
        progress.println("#   server: " + server);
        return new Step(label, clients, stalled, rate, runs, mix[0], mix[1], mix[2], mix[3], closedReading,
                slowClosed, server);
    }

    static List<String> render(final SuiteOptions options, final Result result) {
        final List<String> out = new ArrayList<>();
        out.add("### Latency: publish → WebSocket delivery");
        out.add("");
        final Step base = result.headline();
        out.add("cellwatch, auth off, in this JVM; the load generator and the WebSocket clients in a second JVM on the"
                + " same host. " + options.latencyGateways() + " gateways x " + options.load().cells()
                + " cells, node payloads at QoS 1 (" + rate(result.series()) + " series), paced. Client mix: every"
                + " 20th client on the whole plant, four in 20 on one rack, the rest on one pack (" + base.clients()
                + " clients: " + base.plantClients() + " / " + base.rackClients() + " / " + base.packClients()
                + "). Per step " + num(Math.max(0.5, options.latencyWarmupSeconds()), 1) + " s of paced warm-up (the step's"
                + " client JVM is new), then " + options.runs() + " runs of "
                + num(options.latencySeconds(), 1) + " s.");
        out.add("");
        final MarkdownTable table = new MarkdownTable("step", "clients (timed)", "run", "offered samples/s",
                "achieved samples/s (accepted)", "deliveries timed", "deliveries/s", "p50 ms", "p95 ms", "p99 ms",
                "max ms", "all clients read MB/s",
                "publish → PUBACK p50 / p99 ms", "server: fan-out → written p50 / p99 ms",
                "CPU cores used: server / clients");
        for (final Step step : result.steps()) {
            int i = 0;
            for (final Run run : step.runs()) {
                final Histogram h = run.deliveries();
                table.row(step.label(), step.clients() + (step.stalled() ? " + 1 stalled" : "") + " ("
                                + step.measuredClients() + ")", ++i,
                        rate(run.offered()), rate(run.achieved()), rate(h.getTotalCount())
                                + (run.unmatched() > 0 ? " (" + run.unmatched() + " unmatched)" : ""),
                        rate(h.getTotalCount() / run.seconds()), ms(h.getValueAtPercentile(50)),
                        ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
                        num(run.bytesRead() / run.seconds() / 1e6, 1),
                        ms(run.acks().getValueAtPercentile(50)) + " / " + ms(run.acks().getValueAtPercentile(99)),
                        ms(run.serverP50()) + " / " + ms(run.serverP99()),
                        num(run.serverCores(), 2) + " / " + num(run.clientCores(), 2));
            }
        }
        out.addAll(table.render());
        out.add("");
        final MarkdownTable curve = new MarkdownTable("offered samples/s", "clients",
                "accepted samples/s median", "accepted / offered", "p50 ms median", "p99 ms median",
                "clients closed (seen by clients / slow, by the server)", "server flushes/s",
                "shared frames encoded/s", "frames sent/s", "frames coalesced (held back)", "frames dropped");
        for (final Step step : result.steps()) {
            final LiveCounters c = step.server();
            curve.row(rate(step.offered()), step.clients() + (step.stalled() ? " + 1 stalled" : ""),
                    rate(step.medianAchieved()), num(100 * step.medianAchieved() / step.offered(), 1) + " %",
                    num(step.medianP50Ms(), 1), num(step.medianP99Ms(), 1), step.closedReading() + " / "
                            + step.slowClosed(), rate(c.flushes() / c.seconds()), rate(c.encoded() / c.seconds()),
                    rate(c.sent() / c.seconds()), rate(c.coalesced()), rate(c.dropped()));
        }
        out.addAll(curve.render());
        out.add("");
        out.add("Timing is echo-based on one clock: the client JVM notes System.nanoTime() just before the MQTT"
                + " client's send and again when a delta frame carrying that publish's value is complete at a"
                + " WebSocket client of the same JVM (before it is scanned); the round trip crosses the server's JVM."
                + " publish → PUBACK, on the same clock for every publish of the run, covers everything before the"
                + " fan-out thread (client queue, broker, interceptor with WAL append and change mark)."
                + " Every sample delivered to a timed client is one delivery; a value superseded before its"
                + " flush (coalesced) is not delivered and not counted. At most " + LiveLoadMain.MEASURED
                + " clients per step are timed, in whole blocks of 20 (the mix) spread over the step's clients; the"
                + " others read every frame to its end without scanning it (with 1,000 clients, scanning every frame"
                + " made the client JVM the bottleneck of the shared box). Every reading client that the server"
                + " closes counts as closed. The stalled client reads its first frame and"
                + " then never again; it is not counted as a delivery and the server closes it after"
                + " live.slow-client-millis without progress. The server's own column is its"
                + " cellwatch_live_delivery_seconds histogram over the run (bucket counts before and after): from a change"
                + " reaching the fan-out (after its WAL append) until Undertow reported the frame written to the"
                + " client's socket. CPU cores are each JVM's process CPU time over the run's wall time (the box has"
                + " " + Runtime.getRuntime().availableProcessors() + ").");
        out.add("");
        return out;
    }

    private static String ms(final long micros) {
        return num(micros / 1000.0, 1);
    }
}
