package io.cellwatch.bench;

import io.cellwatch.edge.source.PackPhysics;
import io.cellwatch.extension.analytics.AnalyticsEngine;
import io.cellwatch.extension.analytics.EstimatorSettings;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The analytics thread's cost per sample with a fleet of {@code cells} cells (packs of 16, each a
 * {@link PackPhysics}: every cell's voltage, temperature and SoC and every pack's current, SoC and voltage once per
 * simulated second), fed straight into a real {@link AnalyticsEngine} (no broker: this is the thread's own work,
 * which the publish path hands over with one queue offer). Prints CPU nanoseconds of the {@code cellwatch-analytics}
 * thread per sample offered and per sample routed to an estimator, its throughput, and the heap the estimators hold
 * per cell after the run.
 */
final class AnalyticsBenchmark {

    private static final int CELLS_PER_PACK = 16;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private AnalyticsBenchmark() {
    }

    /** {@code analytics [--cells N] [--seconds N]}: prints the report as Markdown. */
    static void main(final String[] args) {
        int cells = 100_000;
        int seconds = 60;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cells" -> cells = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (analytics takes --cells N --seconds N)");
            }
        }
        try {
            run(cells, seconds).forEach(System.out::println);
            System.exit(0);
        } catch (final Exception | Error e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** One pack: its physics and the series its publishes carry. */
    private record Pack(PackPhysics physics, Series[][] cells, Series[] pack) {
    }

    static List<String> run(final int cells, final int seconds) throws InterruptedException {
        final int packCount = Math.max(1, cells / CELLS_PER_PACK);
        final SeriesCatalog catalog = new SeriesCatalog();
        final List<Pack> packs = new ArrayList<>(packCount);
        for (int p = 0; p < packCount; p++) {
            final SeriesNode node = catalog.internNode(List.of("tenants", "t" + p / 1_000, "plants", "p1",
                    "racks", "r" + p % 1_000 / 100, "packs", "k" + p % 100));
            final Series[][] cellSeries = new Series[CELLS_PER_PACK][];
            for (int c = 0; c < CELLS_PER_PACK; c++) {
                final SeriesNode cell = catalog.internNode(List.of("tenants", "t" + p / 1_000, "plants", "p1",
                        "racks", "r" + p % 1_000 / 100, "packs", "k" + p % 100, "cells", Integer.toString(c + 1)));
                cellSeries[c] = new Series[]{catalog.internSeries(cell, "voltage"),
                        catalog.internSeries(cell, "temperature"), catalog.internSeries(cell, "soc")};
            }
            packs.add(new Pack(new PackPhysics(CELLS_PER_PACK, 100, 0.5, p, p % 3 == 1 ? new int[]{5} : new int[0]),
                    cellSeries, new Series[]{catalog.internSeries(node, "current"), catalog.internSeries(node, "soc"),
                    catalog.internSeries(node, "voltage")}));
        }
        final long heapBefore = usedHeapAfterGc();
        final int perSecond = packCount * (CELLS_PER_PACK + 1);
        try (AnalyticsEngine engine = new AnalyticsEngine(Clock.systemUTC(), EstimatorSettings.DEFAULTS,
                Metrics.create(), perSecond + 1, packCount, CELLS_PER_PACK)) {
            engine.start();
            final Thread analytics = analyticsThread();
            final long start = System.currentTimeMillis() - seconds * 1_000L;
            long offered = 0;
            long cpuAtWarm = 0;
            long samplesAtWarm = 0;
            long offeredAtWarm = 0;
            long wallAtWarm = 0;
            // The first tenth of the run warms the JIT; the rest is measured.
            final int warm = Math.max(1, seconds / 10);
            for (int s = 0; s < seconds; s++) {
                if (s == warm) {
                    cpuAtWarm = THREADS.getThreadCpuTime(analytics.getId());
                    samplesAtWarm = engine.samplesAnalysed();
                    offeredAtWarm = offered;
                    wallAtWarm = System.nanoTime();
                }
                final long ts = start + s * 1_000L;
                for (final Pack pack : packs) {
                    offered += publishSecond(engine, pack, s, ts);
                }
                // One simulated second in the queue at a time: wait until the thread has taken all of it.
                while (engine.samplesAnalysed() < routed(packCount, s + 1)) {
                    LockSupport.parkNanos(100_000);
                }
            }
            final long cpu = THREADS.getThreadCpuTime(analytics.getId()) - cpuAtWarm;
            final long wall = System.nanoTime() - wallAtWarm;
            final long routed = engine.samplesAnalysed() - samplesAtWarm;
            final long measuredOffered = offered - offeredAtWarm;
            final long heapAfter = usedHeapAfterGc();
            final List<String> out = new ArrayList<>();
            out.add("### Analytics thread cost at " + String.format(Locale.ROOT, "%,d", packCount * CELLS_PER_PACK)
                    + " cells");
            out.add("");
            out.add("command: `java -jar bench/target/cellwatch-bench.jar analytics --cells " + cells + " --seconds "
                    + seconds + "`; " + packCount + " packs of " + CELLS_PER_PACK + " cells, each simulated second "
                    + String.format(Locale.ROOT, "%,d", perSecond) + " publishes of 3 samples; the first " + warm
                    + " s warm the JIT, the other " + (seconds - warm) + " are measured.");
            out.add("");
            final MarkdownTable table = new MarkdownTable("samples offered", "samples routed to estimators",
                    "analytics thread CPU ns / sample offered", "CPU ns / sample routed",
                    "wall samples/s (thread kept busy)", "estimators' heap per cell");
            table.row(String.format(Locale.ROOT, "%,d", measuredOffered), String.format(Locale.ROOT, "%,d", routed),
                    String.format(Locale.ROOT, "%.0f", (double) cpu / measuredOffered),
                    String.format(Locale.ROOT, "%.0f", (double) cpu / routed),
                    String.format(Locale.ROOT, "%,.0f", measuredOffered / (wall / 1e9)),
                    String.format(Locale.ROOT, "%,d bytes", (heapAfter - heapBefore) / (packCount * CELLS_PER_PACK)));
            out.addAll(table.render());
            return out;
        }
    }

    /** Offers one simulated second of one pack; returns the samples offered. */
    private static int publishSecond(final AnalyticsEngine engine, final Pack pack, final int second, final long ts) {
        final PackPhysics physics = pack.physics();
        final double amps = physics.advance(second);
        double packVolts = 0;
        for (int c = 0; c < physics.cells(); c++) {
            final double volts = physics.cellVolts(c);
            packVolts += volts;
            engine.accept(new IngestedPublish(null, -1, ts, ts, pack.cells()[c],
                    new double[]{volts, physics.cellTemperature(c), physics.cellSoc(c)}));
        }
        engine.accept(new IngestedPublish(null, -1, ts, ts, pack.pack(),
                new double[]{amps, physics.packSoc(), packVolts}));
        return 3 * (physics.cells() + 1);
    }

    /** Samples the estimators take of {@code seconds} simulated seconds: each cell's voltage and the pack's three. */
    private static long routed(final int packs, final int seconds) {
        return (long) seconds * packs * (CELLS_PER_PACK + 3);
    }

    private static Thread analyticsThread() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (final Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("cellwatch-analytics")) {
                    return t;
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the analytics thread did not start");
    }

    private static long usedHeapAfterGc() {
        final Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
