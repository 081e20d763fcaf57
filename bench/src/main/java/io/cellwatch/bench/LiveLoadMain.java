package io.cellwatch.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The client side of the latency scenario, in its own JVM: the MQTT load generator and the WebSocket clients of a
 * cellwatch server started by {@link LatencyScenario} in another process. Arguments are {@code key=value}; output is
 * one line per event: {@code # …} progress, {@code CLIENTS plant rack pack measured}, {@code RUN offered achieved
 * seconds unmatched deliveries acks serverP50 serverP99 serverCores clientCores bytesRead} (publish → delivery and publish → PUBACK in
 * µs, HdrHistogram compressed, base64; the server's own fan-out → socket written p50 and p99 in µs; CPU cores used
 * by the server's JVM, this JVM's parent, and by this one over the run; frame bytes all reading clients read during
 * the run),
 * {@code END closedReading slowClosed}. Exits 0 after END, 1 on failure. {@code accepted-http=PORT} reads the accepted
 * count from another node (the ingest node, when the clients watch a serving node of a cluster).
 */
public final class LiveLoadMain {

    /** Clients whose every delivery is timed; the others read every frame without looking inside. */
    static final int MEASURED = 100;
    static final String SLOW_CLOSED = "cellwatch_live_clients_closed_slow_total";
    static final String DELIVERY = "cellwatch_live_delivery_seconds";

    private LiveLoadMain() {
    }

    public static void main(final String[] args) {
        try {
            run(parse(args));
            System.exit(0);
        } catch (final Exception | Error e) {
            System.out.println("# client JVM failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static Map<String, String> parse(final String[] args) {
        final Map<String, String> values = new HashMap<>();
        for (final String arg : args) {
            final int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return values;
    }

    private static void run(final Map<String, String> a) throws Exception {
        final int mqttPort = Integer.parseInt(a.get("mqtt"));
        final int httpPort = Integer.parseInt(a.get("http"));
        final LoadShape shape = new LoadShape(Integer.parseInt(a.get("gateways")), Integer.parseInt(a.get("cells")),
                LoadShape.Payload.NODE, 1, Integer.parseInt(a.get("window")));
        final double rate = Double.parseDouble(a.get("rate"));
        final double warmup = Double.parseDouble(a.get("warmup"));
        final double seconds = Double.parseDouble(a.get("seconds"));
        final int runs = Integer.parseInt(a.get("runs"));
        final int clients = Integer.parseInt(a.get("clients"));
        final boolean stalled = Boolean.parseBoolean(a.get("stalled"));
        final double total = warmup + runs * seconds;
        final int capacity = (int) Math.min(Integer.MAX_VALUE - 8, rate / shape.payload().samples() * total * 1.5
                + 100_000);
        final MetricsScrape metrics = new MetricsScrape(httpPort, null, null);
        // Through a cluster the publishes are accepted by an ingest node, the clients watch a serving node.
        final MetricsScrape ingest = new MetricsScrape(Integer.parseInt(a.getOrDefault("accepted-http",
                Integer.toString(httpPort))), null, null);
        // Gateways of an earlier client JVM used the same ids: start their seq above anything they can have sent.
        try (MqttLoad load = MqttLoad.connect(shape, mqttPort, null, System.currentTimeMillis() * 1000);
             LiveProbe probe = new LiveProbe(capacity)) {
            final int racks = LoadShape.rack(shape.gateways() - 1);
            int plant = 0;
            int rack = 0;
            int pack = 0;
            // Every delivery to at most MEASURED clients is timed: whole blocks of 20 (the mix), spread evenly.
            final int blockStride = Math.max(1, (clients + MEASURED - 1) / MEASURED);
            int measured = 0;
            for (int i = 0; i < clients; i++) {
                final int slot = i % 20;
                final String path = slot == 0 ? "tenants/bench/plants/p1"
                        : slot <= 4 ? LoadShape.rackPath(i % racks + 1) : LoadShape.packPath(i % shape.gateways());
                if (slot == 0) {
                    plant++;
                } else if (slot <= 4) {
                    rack++;
                } else {
                    pack++;
                }
                if ((i / 20) % blockStride == 0) {
                    probe.subscribe(httpPort, path);
                    measured++;
                } else {
                    probe.subscribeReading(httpPort, path);
                }
            }
            final double slowBefore = metrics.value(SLOW_CLOSED);
            if (stalled) {
                // The whole plant: the most bytes per second, so its socket buffers fill first.
                probe.subscribeStalled(httpPort, "tenants/bench/plants/p1");
            }
            System.out.println("CLIENTS " + plant + " " + rack + " " + pack + " " + measured);
            load.probe(probe);
            // publish → PUBACK on the same clock: how much of the delivery latency is the MQTT side's queueing.
            final Recorder acks = new Recorder(3);
            load.ackLatency(acks);
            load.paced(rate, warmup);
            final ProcessHandle server = ProcessHandle.current().parent().orElseThrow();
            for (int i = 1; i <= runs; i++) {
                final long started = System.nanoTime();
                final long serverCpu = cpuNanos(server);
                final long clientCpu = cpuNanos(ProcessHandle.current());
                final String serverBefore = metrics.scrape();
                probe.openWindow();
                acks.getIntervalHistogram();
                final long before = accepted(ingest);
                final long bytesBefore = probe.bytesRead();
                final MqttLoad.Run sent = load.paced(rate, seconds);
                final long accepted = accepted(ingest) - before;
                final Histogram acked = acks.getIntervalHistogram();
                probe.closeWindow();
                // The last frames of the window are still on their way; half a second is ample unless saturated.
                Thread.sleep(500);
                final Histogram deliveries = probe.take();
                final long bytes = probe.bytesRead() - bytesBefore;
                final double wall = System.nanoTime() - started;
                final double serverCores = (cpuNanos(server) - serverCpu) / wall;
                final double clientCores = (cpuNanos(ProcessHandle.current()) - clientCpu) / wall;
                // The server's own view over the run: a change reaching the fan-out → frame written.
                final String serverAfter = metrics.scrape();
                final double serverP50 = MetricsScrape.quantileBetween(serverBefore, serverAfter, DELIVERY, 0.5) * 1e6;
                final double serverP99 = MetricsScrape.quantileBetween(serverBefore, serverAfter, DELIVERY, 0.99) * 1e6;
                final double achieved = accepted * shape.payload().samples() / sent.seconds();
                System.out.println("# run " + i + ": accepted " + Stats.rate(achieved) + " samples/s, "
                        + deliveries.getTotalCount() + " deliveries, p99 "
                        + Stats.num(deliveries.getValueAtPercentile(99) / 1000.0, 1) + " ms");
                System.out.println("RUN " + rate + " " + achieved + " " + sent.seconds() + " " + probe.unmatched()
                        + " " + encode(deliveries) + " " + encode(acked) + " " + (long) serverP50 + " "
                        + (long) serverP99 + " " + serverCores + " " + clientCores + " " + bytes);
            }
            System.out.println("END " + probe.closedReading() + " " + (long) (metrics.value(SLOW_CLOSED) - slowBefore));
        }
    }

    private static long cpuNanos(final ProcessHandle process) {
        return process.info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("no CPU time readable for process " + process.pid())).toNanos();
    }

    private static long accepted(final MetricsScrape metrics) throws Exception {
        return (long) metrics.value("cellwatch_ingest_publishes_accepted_total");
    }

    static String encode(final Histogram histogram) {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decode(final String text) throws Exception {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
    }
}
