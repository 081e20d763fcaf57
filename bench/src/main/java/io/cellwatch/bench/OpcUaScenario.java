package io.cellwatch.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.PayloadParser;
import io.cellwatch.testing.opcua.TestPlc;
import org.HdrHistogram.Histogram;
import org.eclipse.milo.opcua.stack.core.Identifiers;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OPC-UA through the gateway to the server: a Milo OPC-UA server ({@link TestPlc}) on loopback changes N variables
 * every interval, each with its source time; the gateway jar (its own process, as on a Pi, {@code -Xmx128m})
 * watches them as monitored items, buffers and publishes them; a subscriber on the server takes the end-to-end
 * latency of every payload (arrival at the subscriber minus the value's source time at the PLC). The gateway's CPU
 * is its process's CPU time over the measured window.
 * <p>
 * {@code java -jar bench/target/cellwatch-bench.jar opcua [--items 500] [--interval-ms 100] [--sampling-ms 100] [--seconds 60]
 * [--warmup-seconds 15] [--gateway-jar edge-firmware-bridge/drivers/target/cellwatch-gateway.jar]}
 */
final class OpcUaScenario {

    private static final int METRICS_PER_CELL = 10;

    private OpcUaScenario() {
    }

    /** @param samplingMs the monitored items' sampling interval (default: the change interval) */
    record Options(int items, int intervalMs, int samplingMs, int seconds, int warmupSeconds, Path gatewayJar) {

        static Options parse(final List<String> args) {
            int items = 500;
            int interval = 100;
            int seconds = 60;
            int warmup = 15;
            int sampling = -1;
            Path jar = Path.of("edge-firmware-bridge/drivers/target/cellwatch-gateway.jar");
            for (int i = 0; i + 1 < args.size(); i += 2) {
                final String value = args.get(i + 1);
                switch (args.get(i)) {
                    case "--items" -> items = Integer.parseInt(value);
                    case "--interval-ms" -> interval = Integer.parseInt(value);
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--sampling-ms" -> sampling = Integer.parseInt(value);
                    case "--warmup-seconds" -> warmup = Integer.parseInt(value);
                    case "--gateway-jar" -> jar = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown flag " + args.get(i));
                }
            }
            if (args.size() % 2 != 0) {
                throw new IllegalArgumentException("every flag takes a value");
            }
            return new Options(items, interval, sampling > 0 ? sampling : interval, seconds, warmup, jar);
        }
    }

    public static void main(final String[] args) {
        try {
            final Options options = Options.parse(List.of(args));
            final Path root = Files.createTempDirectory("cellwatch-opcua-");
            final String report = run(options, root, System.out);
            System.out.println();
            System.out.println("Command: java -jar bench/target/cellwatch-bench.jar opcua " + String.join(" ", args));
            System.out.println();
            System.out.print(report);
            System.out.flush();
            System.exit(0);
        } catch (final Exception | Error e) {
            System.err.println("opcua failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static String run(final Options options, final Path root, final PrintStream progress) throws Exception {
        if (!Files.isReadable(options.gatewayJar())) {
            throw new IllegalArgumentException(options.gatewayJar() + " not found: build it with"
                    + " mvn -B -q package -DskipTests, or pass --gateway-jar");
        }
        MachineInfo.describe(root).forEach(line -> progress.println("# " + line));
        final TestPlc plc = new TestPlc(root);
        final StringBuilder map = new StringBuilder("node,path,metric,scale,offset\n");
        for (int i = 0; i < options.items(); i++) {
            plc.variable(i + 1, "V" + (i + 1), Identifiers.Double, 0.0);
            map.append("ns=2;i=").append(i + 1).append(",racks/r1/packs/k1/cells/").append(i / METRICS_PER_CELL + 1)
                    .append(",m").append(i % METRICS_PER_CELL).append(",,\n");
        }
        plc.start();
        Files.writeString(root.resolve("nodes.csv"), map);
        final ServerConfig config = BenchServers.authAndAcl(root.resolve("server"),
                new LoadShape(1, 1, LoadShape.Payload.NODE, 1, 1));
        final String clientId = LoadShape.clientId(0);
        final Path conf = root.resolve("gateway.conf");
        Files.writeString(conf, """
                tenant = %s
                plant = p1
                client-id = %s
                broker.url = tcp://127.0.0.1:%d
                broker.username = %s
                broker.password = %s
                buffer.dir = buffer

                [source plc]
                type = opcua
                endpoint = %s
                node-map = nodes.csv
                sampling-interval = %dms
                publishing-interval = %dms
                """.formatted(BenchServers.TENANT, clientId, config.mqttPort(), clientId,
                BenchServers.GATEWAY_PASSWORD, plc.endpoint(), options.samplingMs(), options.intervalMs()));

        final ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "bench-plc");
            thread.setDaemon(true);
            return thread;
        });
        Process gateway = null;
        try (CellwatchBroker broker = CellwatchBroker.start("opcua", config, BenchServers.GATEWAY_PASSWORD)) {
            final AtomicBoolean measuring = new AtomicBoolean();
            final Histogram latencyMs = new Histogram(60_000, 3);
            final AtomicLong payloads = new AtomicLong();
            final AtomicLong values = new AtomicLong();
            final AtomicLong warmupValues = new AtomicLong();
            final PayloadParser parser = new PayloadParser(1 << 20);
            final Mqtt5AsyncClient subscriber = MqttClient.builder().useMqttVersion5().identifier("bench-opcua-sub")
                    .serverHost("127.0.0.1").serverPort(config.mqttPort())
                    .simpleAuth().username(BenchServers.ADMIN)
                    .password(BenchServers.GATEWAY_PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .buildAsync();
            subscriber.publishes(MqttGlobalPublishFilter.ALL, publish -> {
                final long now = System.currentTimeMillis();
                if (!publish.getTopic().toString().contains("/cells/")) {
                    return;
                }
                try {
                    final ParsedPayload parsed = parser.parseNode(ByteBuffer.wrap(publish.getPayloadAsBytes()));
                    if (!measuring.get()) {
                        warmupValues.addAndGet(parsed.values().length);
                        return;
                    }
                    payloads.incrementAndGet();
                    values.addAndGet(parsed.values().length);
                    latencyMs.recordValue(Math.max(0, Math.min(60_000, now - parsed.ts())));
                } catch (final Exception e) {
                    progress.println("# unreadable payload: " + e);
                }
            });
            subscriber.connect().get(10, TimeUnit.SECONDS);
            subscriber.subscribeWith().topicFilter("tenants/" + BenchServers.TENANT + "/plants/p1/#")
                    .qos(MqttQos.AT_MOST_ONCE).send().get(10, TimeUnit.SECONDS);

            final long[] round = {0};
            final AtomicLong setInWindow = new AtomicLong();
            driver.scheduleAtFixedRate(() -> {
                final long now = System.currentTimeMillis();
                round[0]++;
                if (measuring.get()) {
                    setInWindow.addAndGet(options.items());
                }
                for (int i = 0; i < options.items(); i++) {
                    plc.set(i + 1, round[0] + i / 1000.0, now);
                }
            }, 0, options.intervalMs(), TimeUnit.MILLISECONDS);

            gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-jar", options.gatewayJar().toAbsolutePath().toString(), "run", conf.toString())
                    .redirectErrorStream(true).redirectOutput(root.resolve("gateway.log").toFile()).start();
            progress.printf("# opcua: %d items changing every %d ms (%,d values/s offered), gateway pid %d%n",
                    options.items(), options.intervalMs(), options.items() * 1000L / options.intervalMs(),
                    gateway.pid());
            // The gateway starts (JVM, certificate, 500 monitored items) before the warm-up counts.
            final long firstDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (warmupValues.get() == 0 && System.nanoTime() < firstDeadline) {
                Thread.sleep(200);
            }
            if (warmupValues.get() == 0) {
                throw new IllegalStateException("no value arrived within 180 s; see " + root.resolve("gateway.log"));
            }
            progress.printf("# opcua: first values arrived; warming up %d s%n", options.warmupSeconds());
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds()));
            final String loadStart = MachineInfo.loadAverage("start of the window");
            final Duration cpuStart = cpu(gateway);
            final long started = System.nanoTime();
            measuring.set(true);
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.seconds()));
            measuring.set(false);
            final double elapsed = (System.nanoTime() - started) / 1e9;
            final Duration cpuEnd = cpu(gateway);
            final String loadEnd = MachineInfo.loadAverage("end of the window");
            final String rss = rss(gateway.pid());
            subscriber.disconnect();
            final double cpuShare = (cpuEnd.toNanos() - cpuStart.toNanos()) / 1e9 / elapsed;
            return report(options, elapsed, setInWindow.get(), values.get(), payloads.get(), latencyMs, cpuShare, rss,
                    loadStart, loadEnd);
        } finally {
            driver.shutdownNow();
            if (gateway != null) {
                gateway.destroy();
                if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
            plc.close();
        }
    }

    private static Duration cpu(final Process process) {
        return process.info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("the OS does not report the gateway's CPU time"));
    }

    private static String rss(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return line.substring("VmRSS:".length()).strip();
                }
            }
        } catch (final Exception notLinux) {
            // reported as unknown
        }
        return "unknown";
    }

    private static String report(final Options options, final double seconds, final long set, final long values,
                                 final long payloads,
                                 final Histogram latency, final double cpuShare, final String rss,
                                 final String loadStart, final String loadEnd) {
        final List<String> lines = new ArrayList<>();
        lines.add("| items | change / sampling interval | offered values/s | set at the PLC /s | delivered values/s |"
                + " payloads/s | e2e p50 | e2e p99 | e2e max | gateway CPU | gateway RSS |");
        lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        lines.add("| " + options.items() + " | " + options.intervalMs() + " / " + options.samplingMs() + " ms | "
                + Stats.rate(options.items() * 1000.0 / options.intervalMs()) + " | " + Stats.rate(set / seconds)
                + " | " + Stats.rate(values / seconds)
                + " | " + Stats.rate(payloads / seconds) + " | " + latency.getValueAtPercentile(50) + " ms | "
                + latency.getValueAtPercentile(99) + " ms | " + latency.getMaxValue() + " ms | "
                + Stats.num(cpuShare * 100, 1) + " % of one core | " + rss + " |");
        lines.add("");
        lines.add("Window " + Stats.num(seconds, 1) + " s after " + options.warmupSeconds() + " s warm-up; "
                + loadStart + ", " + loadEnd + ".");
        return String.join("\n", lines) + "\n";
    }
}
