package io.cellwatch.bench;

import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.contract.PayloadParser;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.config.ExtensionSettings;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.ingest.IngestMetrics;
import io.cellwatch.extension.ingest.TelemetryIngest;
import io.cellwatch.extension.series.SeriesCatalog;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Scale: the publish path's in-memory side ({@link TelemetryIngest} with its {@link SeriesCatalog}, resolver and
 * parser; the sink does nothing, so no WAL) driven directly on one thread with N distinct single-metric topics
 * ({@code tenants/bench/plants/pP/racks/rR/packs/kK/cells/C/voltage|temperature|soc}). Measured: ns per ingest that
 * discovers a new series, ns per ingest of a known one (best of 3 passes over all N), and the heap retained per
 * series (used heap after full GCs, catalog alive vs before it existed).
 */
final class ScaleScenario {

    private static final GatewayKey GATEWAY = GatewayKey.anonymous("gw-scale");

    /** One size. */
    record Size(int series, double newNs, double knownNs, long retainedBytes, int nodes) {
        double bytesPerSeries() {
            return (double) retainedBytes / series;
        }
    }

    private ScaleScenario() {
    }

    static List<Size> run(final SuiteOptions options, final PrintStream progress) throws Rejection {
        final List<Size> sizes = new ArrayList<>();
        for (final int n : options.scaleSizes()) {
            progress.println("# scale: " + rate(n) + " series");
            sizes.add(measure(n));
            final Size s = sizes.get(sizes.size() - 1);
            progress.println("#   new " + num(s.newNs(), 0) + " ns, known " + num(s.knownNs(), 0) + " ns, "
                    + num(s.bytesPerSeries(), 0) + " bytes/series");
        }
        return sizes;
    }

    private static Size measure(final int n) throws Rejection {
        final String[] topics = new String[n];
        for (int i = 0; i < n; i++) {
            topics[i] = topic(i);
        }
        final ByteBuffer payload = ByteBuffer.wrap(PayloadWriter.bareMetric(3.671).getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        final long baseline = usedAfterGc();
        final ExtensionSettings settings = ExtensionSettings.defaults();
        final SeriesCatalog catalog = new SeriesCatalog();
        final GatewayRegistry gateways = new GatewayRegistry(g -> { });
        final TelemetryIngest ingest = new TelemetryIngest(catalog, gateways,
                new TopicResolver(settings.maxTopicLevels()), new PayloadParser(settings.maxPayloadBytes()),
                new IngestMetrics(Metrics.create()), publish -> { });
        final long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ingest.ingest(GATEWAY, topics[i], payload.duplicate(), null, null);
        }
        final double newNs = (System.nanoTime() - started) / (double) n;
        if (catalog.size() != n) {
            throw new IllegalStateException("expected " + n + " series, the catalog has " + catalog.size());
        }
        double knownNs = Double.MAX_VALUE;
        for (int pass = 0; pass < 3; pass++) {
            final long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ingest.ingest(GATEWAY, topics[i], payload.duplicate(), null, null);
            }
            knownNs = Math.min(knownNs, (System.nanoTime() - t) / (double) n);
        }
        final long retained = usedAfterGc() - baseline;
        final int nodes = (n + 2) / 3;
        // Keeps catalog and ingest reachable until after the measurement above.
        if (catalog.size() != n || ingest.hashCode() == 0) {
            throw new IllegalStateException("catalog changed size");
        }
        return new Size(n, newNs, knownNs, retained, nodes);
    }

    /** Series {@code i}: 3 metrics per cell, 96 cells per pack, 16 packs per rack, 16 racks per plant. */
    static String topic(final int i) {
        final int cell = i / 3;
        return TopicBuilder.tenant("bench").child("plants", "p" + (cell / 24_576 + 1))
                .child("racks", "r" + (cell / 1536 % 16 + 1)).child("packs", "k" + (cell / 96 % 16 + 1))
                .child("cells", Integer.toString(cell % 96 + 1)).metric(PackFleet.METRICS.get(i % 3));
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static List<String> render(final List<Size> sizes) {
        final List<String> out = new ArrayList<>();
        out.add("### Scale: heap and resolve cost per series");
        out.add("");
        out.add("TelemetryIngest.ingest on one thread with a no-op sink (topic lookup or resolve + intern, payload"
                + " parse, gateway stamp, counters; no WAL), single-metric topics, 3 metrics per cell node.");
        out.add("");
        final MarkdownTable table = new MarkdownTable("series", "cell nodes", "ns per ingest, new series",
                "ns per ingest, known series (best of 3 passes)", "heap retained", "heap bytes per series");
        for (final Size s : sizes) {
            table.row(rate(s.series()), rate(s.nodes()), num(s.newNs(), 0), num(s.knownNs(), 0),
                    num(s.retainedBytes() / 1048576.0, 1) + " MiB", num(s.bytesPerSeries(), 0));
        }
        out.addAll(table.render());
        out.add("");
        out.add("Heap = used heap after 4 × System.gc() with the catalog alive − the same before it was created (the"
                + " topic strings exist in both), so it is what the catalog, its nodes and series retain. The"
                + " production catalog also notifies the WAL of each new series; that append is not in these figures.");
        out.add("");
        return out;
    }
}
