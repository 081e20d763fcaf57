package io.cellwatch.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Latency: publish → WebSocket delivery with {@link SuiteOptions#wsClients} live clients on overlapping subtrees
 * (every 20th the whole plant, four in 20 one rack, the rest one pack) while gateways publish node payloads at QoS 1,
 * paced at {@link SuiteOptions#latencyRate}. A paced warm-up, then {@link SuiteOptions#runs} measured runs.
 */
final class LatencyScenario {

    /** One measured run; {@code deliveries} in µs. */
    record Run(double offered, double achieved, double seconds, Histogram deliveries, long unmatched) {
    }

    /** The runs and how the clients were subscribed. */
    record Result(List<Run> runs, int plantClients, int rackClients, int packClients, int series) {
    }

    private LatencyScenario() {
    }

    static Result run(final SuiteOptions options, final Path dir, final PrintStream progress) throws Exception {
        final LoadShape shape = options.load().withGateways(options.latencyGateways()).withQos(1);
        final double rate = options.latencyRate();
        progress.println("# latency: " + options.wsClients() + " WebSocket clients, " + shape + ", " + rate(rate)
                + " samples/s");
        final double seconds = Math.max(0.5, options.warmupSeconds()) + options.runs() * options.latencySeconds();
        final int capacity = (int) Math.min(Integer.MAX_VALUE - 8,
                rate / shape.payload().samples() * seconds * 1.5 + 100_000);
        try (CellwatchBroker broker = CellwatchBroker.start(IngestScenario.AUTH_OFF, BenchServers.authOff(dir), null);
             MqttLoad load = MqttLoad.connect(shape, broker.mqttPort(), null);
             LiveProbe probe = new LiveProbe(capacity)) {
            final int racks = LoadShape.rack(shape.gateways() - 1);
            int plant = 0;
            int rack = 0;
            int pack = 0;
            for (int i = 0; i < options.wsClients(); i++) {
                final int slot = i % 20;
                if (slot == 0) {
                    probe.subscribe(broker.server().httpPort(), "tenants/bench/plants/p1");
                    plant++;
                } else if (slot <= 4) {
                    probe.subscribe(broker.server().httpPort(), LoadShape.rackPath(i % racks + 1));
                    rack++;
                } else {
                    probe.subscribe(broker.server().httpPort(), LoadShape.packPath(i % shape.gateways()));
                    pack++;
                }
            }
            load.probe(probe);
            load.paced(rate, Math.max(0.5, options.warmupSeconds()));
            final List<Run> runs = new ArrayList<>();
            for (int i = 1; i <= options.runs(); i++) {
                probe.openWindow();
                final long before = broker.acceptedPublishes();
                final MqttLoad.Run sent = load.paced(rate, options.latencySeconds());
                final long accepted = broker.acceptedPublishes() - before;
                probe.closeWindow();
                // Frames go out every live.flush-millis (75 ms); half a second is ample for the last ones.
                Thread.sleep(500);
                final Histogram deliveries = probe.take();
                final Run run = new Run(rate, accepted * shape.payload().samples() / sent.seconds(), sent.seconds(),
                        deliveries, probe.unmatched());
                runs.add(run);
                progress.println("#   run " + i + ": achieved " + rate(run.achieved()) + " samples/s, "
                        + rate(deliveries.getTotalCount()) + " deliveries, p50 "
                        + ms(deliveries.getValueAtPercentile(50)) + " ms, p99 "
                        + ms(deliveries.getValueAtPercentile(99)) + " ms, max " + ms(deliveries.getMaxValue())
                        + " ms");
            }
            return new Result(runs, plant, rack, pack, shape.gateways() * shape.cells() * 3);
        }
    }

    static List<String> render(final SuiteOptions options, final Result result) {
        final List<String> out = new ArrayList<>();
        out.add("### Latency: publish → WebSocket delivery");
        out.add("");
        out.add("cellwatch, auth off; " + options.latencyGateways() + " gateways x " + options.load().cells()
                + " cells, node payloads at QoS 1 (" + rate(result.series()) + " series), paced at "
                + rate(options.latencyRate()) + " samples/s; " + (result.plantClients() + result.rackClients()
                + result.packClients()) + " WebSocket clients: " + result.plantClients() + " on the whole plant, "
                + result.rackClients() + " on one rack, " + result.packClients() + " on one pack. "
                + options.runs() + " runs of " + num(options.latencySeconds(), 1) + " s after a paced warm-up.");
        out.add("");
        final MarkdownTable table = new MarkdownTable("run", "offered samples/s", "achieved samples/s (accepted)",
                "deliveries", "deliveries/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p95 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> max = new ArrayList<>();
        final List<Double> achieved = new ArrayList<>();
        int i = 0;
        for (final Run run : result.runs()) {
            final Histogram h = run.deliveries();
            p50.add(h.getValueAtPercentile(50) / 1000.0);
            p95.add(h.getValueAtPercentile(95) / 1000.0);
            p99.add(h.getValueAtPercentile(99) / 1000.0);
            max.add(h.getMaxValue() / 1000.0);
            achieved.add(run.achieved());
            table.row(++i, rate(run.offered()), rate(run.achieved()), rate(h.getTotalCount())
                    + (run.unmatched() > 0 ? " (" + run.unmatched() + " unmatched)" : ""),
                    rate(h.getTotalCount() / run.seconds()), ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
        }
        table.row("**median (min–max)**", "", spread(achieved, 0), "", "", spread(p50, 1), spread(p95, 1),
                spread(p99, 1), spread(max, 1));
        out.addAll(table.render());
        out.add("");
        out.add("One JVM, one clock: System.nanoTime() just before the MQTT client's send → the moment a delta frame"
                + " carrying that publish's value was complete at a WebSocket client (before parsing). Every sample"
                + " delivered to every subscribed client is one delivery; a value superseded within a flush window"
                + " (coalesced) is not delivered and not counted. Includes the live.flush-millis coalescing (75 ms).");
        out.add("");
        return out;
    }

    private static String ms(final long micros) {
        return num(micros / 1000.0, 1);
    }

    private static String spread(final List<Double> values, final int decimals) {
        return decimals == 0
                ? "**" + rate(Stats.median(values)) + "** (" + rate(Stats.min(values)) + "–" + rate(Stats.max(values))
                + ")"
                : "**" + num(Stats.median(values), decimals) + "** (" + num(Stats.min(values), decimals) + "–"
                + num(Stats.max(values), decimals) + ")";
    }
}
