package io.cellwatch.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.testing.FreePorts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * How far one node goes (issue 24, sizing): {@code kafka --connections N}. One cellwatch node, role {@code all},
 * auth off, in its own JVM with {@code -Xmx2g}; the load generator here opens N MQTT connections at a bounded rate,
 * then each publishes one node payload of {@code metrics} metrics ({@code c1 … cM}) every {@code interval} seconds,
 * QoS 1, spread evenly. Measured: connections held, samples/s accepted and written to DuckDB, the WAL backlog, the
 * server JVM's heap after a full GC (jcmd) at 0 connections, at N connections, and once the series exist; its CPU.
 */
final class ConnectionsScenario {

    /** Gateways per tenant: spreads the series over tenants like a fleet, each tenant far below its quotas. */
    static final int PER_TENANT = 100;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    record Options(int connections, int metrics, double intervalSeconds, double holdSeconds, int connectRate,
                   String heap, boolean smoke) {

        static Options parse(final List<String> args) throws BenchOptions.Invalid {
            final List<String> rest = new ArrayList<>(args);
            final boolean smoke = rest.remove("--smoke");
            final int connections = (int) KafkaScenario.Options.take(rest, "--connections", smoke ? 50 : 10_000);
            final int metrics = (int) KafkaScenario.Options.take(rest, "--metrics", 96);
            final double interval = KafkaScenario.Options.take(rest, "--interval-seconds", smoke ? 2 : 10);
            final double hold = KafkaScenario.Options.take(rest, "--hold-seconds", smoke ? 4 : 60);
            final int connectRate = (int) KafkaScenario.Options.take(rest, "--connect-rate", 500);
            if (!rest.isEmpty()) {
                throw new BenchOptions.Invalid("unknown flag(s) " + rest + "; kafka --connections N [--metrics 96]"
                        + " [--interval-seconds 10] [--hold-seconds 60] [--connect-rate 500] [--smoke]");
            }
            return new Options(connections, metrics, interval, hold, connectRate, "2g", smoke);
        }
    }

    /** Heap used after a full GC and resident memory of the server JVM, in MiB. */
    record Memory(double heapMiB, double rssMiB) {
    }

    /**
     * What one run measured.
     *
     * @param held         connections still connected (client side) when publishing stopped
     * @param serverHeld   the server's cellwatch_mqtt_clients_connected then
     * @param published    publishes acknowledged / failed over the whole publishing phase
     * @param accepted     samples/s the server accepted over the measured window
     * @param written      samples/s the server wrote to DuckDB over the window
     * @param backlogEnd   the WAL backlog (records) at the window's end
     * @param drainSeconds seconds after publishing stopped until the backlog was 0
     * @param cores        the server JVM's CPU cores used over the window
     */
    record Result(Options options, int connected, double connectSeconds, long connectFailures, int held,
                  double serverHeld, long published, long failed, double series, double accepted, double written,
                  double backlogEnd, double backlogMax, double drainSeconds, double cores, double windowSeconds,
                  Memory idle, Memory withConnections, Memory withSeries) {
    }

    private ConnectionsScenario() {
    }

    static void main(final String[] args) {
        try {
            final List<String> list = new ArrayList<>(List.of(args));
            final Options options = Options.parse(list);
            final Path root = Files.createTempDirectory("cellwatch-bench-connections-");
            final List<String> machine = new ArrayList<>(MachineInfo.describe(root));
            machine.forEach(line -> System.out.println("# " + line));
            final Result result = run(options, root, System.out);
            machine.add(MachineInfo.loadAverage("end"));
            System.out.println();
            System.out.println("command: `java -jar bench/target/cellwatch-bench.jar kafka " + String.join(" ", args)
                    + "`" + (options.smoke() ? "  [SMOKE]" : ""));
            machine.forEach(line -> System.out.println("- " + line));
            System.out.println();
            render(result).forEach(System.out::println);
            System.exit(0);
        } catch (final Exception | Error e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Result run(final Options options, final Path dir, final PrintStream progress) throws Exception {
        final int[] ports = FreePorts.distinct(2);
        final int mqttPort = ports[0];
        final int httpPort = ports[1];
        final Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("cellwatch.properties"), """
                # Written by the benchmark: auth off, no probe, sessions in memory, quotas above the load.
                auth.enabled = false
                probe.interval-seconds = 0
                mqtt.persistence = in-memory
                mqtt.host = 127.0.0.1
                quota.series-per-tenant = 10000000
                quota.new-series-per-minute = 10000000
                """);
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + options.heap(),
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
                "-cp", System.getProperty("java.class.path"), "io.cellwatch.broker.Main",
                "--conf", conf.toString(), "--data", dir.resolve("data").toString(),
                "--mqtt-port", Integer.toString(mqttPort), "--http-port", Integer.toString(httpPort)));
        progress.println("# connections: " + options.connections() + " MQTT connections x one " + options.metrics()
                + "-metric node payload every " + num(options.intervalSeconds(), 1) + " s, QoS 1, to one node (role"
                + " all, auth off, -Xmx" + options.heap() + ", own JVM)");
        final Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        final long pid = server.pid();
        final MetricsScrape metrics = new MetricsScrape(httpPort, null, null);
        final List<Mqtt5AsyncClient> opened = new ArrayList<>();
        try {
            awaitUp(metrics, server, dir);
            final Memory idle = memory(pid);
            progress.println("#   server up (pid " + pid + "), heap after GC " + num(idle.heapMiB(), 1) + " MiB");
            final AtomicReferenceArray<Mqtt5AsyncClient> clients = new AtomicReferenceArray<>(options.connections());
            final LongAdder connectFailures = new LongAdder();
            final long connectStart = System.nanoTime();
            connectAll(options, mqttPort, clients, connectFailures);
            final double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            final int connected = (int) IntStream.range(0, clients.length()).filter(i -> clients.get(i) != null)
                    .count();
            IntStream.range(0, clients.length()).mapToObj(clients::get).filter(c -> c != null).forEach(opened::add);
            final Memory withConnections = memory(pid);
            progress.println("#   " + connected + " connected in " + num(connectSeconds, 1) + " s ("
                    + connectFailures.sum() + " failed), heap after GC " + num(withConnections.heapMiB(), 1) + " MiB");
            final Publisher publisher = new Publisher(options, clients);
            final Thread thread = new Thread(publisher::run, "bench-connections-publisher");
            thread.setDaemon(true);
            thread.start();
            // The first interval creates every series; the window starts after two.
            Thread.sleep((long) (2 * options.intervalSeconds() * 1000));
            final double acceptedBefore = metrics.value("cellwatch_ingest_samples_accepted_total");
            final double writtenBefore = metrics.value("cellwatch_history_samples_written_total");
            final long cpuBefore = KafkaScenario.cpuNanos(pid);
            final long windowStart = System.nanoTime();
            double backlogMax = 0;
            while (System.nanoTime() - windowStart < options.holdSeconds() * 1e9) {
                Thread.sleep(1000);
                backlogMax = Math.max(backlogMax, metrics.value("cellwatch_wal_backlog_records"));
            }
            final double window = (System.nanoTime() - windowStart) / 1e9;
            final double accepted = (metrics.value("cellwatch_ingest_samples_accepted_total") - acceptedBefore)
                    / window;
            final double written = (metrics.value("cellwatch_history_samples_written_total") - writtenBefore) / window;
            final double cores = (KafkaScenario.cpuNanos(pid) - cpuBefore) / 1e9 / window;
            final double backlogEnd = metrics.value("cellwatch_wal_backlog_records");
            publisher.stop();
            thread.join();
            final int held = (int) IntStream.range(0, clients.length()).mapToObj(clients::get)
                    .filter(c -> c != null && c.getState().isConnected()).count();
            final double serverHeld = connectedOnServer(metrics.scrape());
            final long drainStart = System.nanoTime();
            while (metrics.value("cellwatch_wal_backlog_records") > 0 && System.nanoTime() - drainStart < 300e9) {
                Thread.sleep(200);
            }
            final double drain = (System.nanoTime() - drainStart) / 1e9;
            final double series = metrics.value("cellwatch_series");
            final Memory withSeries = memory(pid);
            progress.println("#   window " + num(window, 1) + " s: accepted " + rate(accepted) + " samples/s, written "
                    + rate(written) + " samples/s, backlog max " + rate(backlogMax) + " records, server "
                    + num(cores, 2) + " cores; held " + held + " (server " + rate(serverHeld) + "); " + rate(series)
                    + " series, heap after GC " + num(withSeries.heapMiB(), 1) + " MiB");
            return new Result(options, connected, connectSeconds, connectFailures.sum(), held, serverHeld,
                    publisher.acked.sum(), publisher.failed.sum(), series, accepted, written, backlogEnd, backlogMax,
                    drain, cores, window, idle, withConnections, withSeries);
        } finally {
            opened.parallelStream().forEach(c -> {
                try {
                    c.disconnect().get(5, TimeUnit.SECONDS);
                } catch (final Exception ignored) {
                    // The server is stopped next anyway.
                }
            });
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void awaitUp(final MetricsScrape metrics, final Process server, final Path dir) throws Exception {
        final long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try {
                metrics.value("cellwatch_series");
                return;
            } catch (final IOException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server did not come up; see its log:\n"
                            + tail(dir.resolve("server.log")), notYet);
                }
                Thread.sleep(250);
            }
        }
    }

    private static String tail(final Path log) throws IOException {
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Opens every connection, at most {@code connectRate} per second and 100 handshakes at once. */
    private static void connectAll(final Options options, final int port,
                                   final AtomicReferenceArray<Mqtt5AsyncClient> clients, final LongAdder failures)
            throws InterruptedException {
        final Semaphore handshakes = new Semaphore(100);
        final long start = System.nanoTime();
        for (int i = 0; i < options.connections(); i++) {
            final long due = start + (long) (i * 1e9 / options.connectRate());
            final long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            handshakes.acquire();
            final int index = i;
            final Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier("cx-" + (i + 1))
                    .serverHost("127.0.0.1").serverPort(port).buildAsync();
            client.connectWith().cleanStart(true).keepAlive(60).send().whenComplete((ack, error) -> {
                // Recorded before the permit goes back: connectAll's final acquire then sees every outcome.
                if (error == null) {
                    clients.set(index, client);
                } else {
                    failures.increment();
                }
                handshakes.release();
            });
        }
        handshakes.acquire(100);
        handshakes.release(100);
    }

    /** Publishes one payload per connection every interval, spread evenly over 10 ms ticks. */
    private static final class Publisher {
        private static final long TICK_NANOS = 10_000_000;
        private final Options options;
        private final AtomicReferenceArray<Mqtt5AsyncClient> clients;
        private final String[] topics;
        private final List<String> names;
        private final long[] seq;
        final LongAdder acked = new LongAdder();
        final LongAdder failed = new LongAdder();
        private volatile boolean stopping;

        Publisher(final Options options, final AtomicReferenceArray<Mqtt5AsyncClient> clients) {
            this.options = options;
            this.clients = clients;
            this.topics = new String[clients.length()];
            for (int i = 0; i < topics.length; i++) {
                topics[i] = topic(i);
            }
            this.names = IntStream.rangeClosed(1, options.metrics()).mapToObj(m -> "c" + m).toList();
            this.seq = new long[clients.length()];
        }

        /** Gateway {@code i}'s pack node: tenant {@code t<i/100>}, 40 packs per rack. */
        static String topic(final int i) {
            return TopicBuilder.tenant("t" + (i / PER_TENANT)).child("plants", "p1")
                    .child("racks", "r" + (i / 40 + 1)).child("packs", "k" + (i + 1)).node();
        }

        void stop() {
            stopping = true;
        }

        void run() {
            final int n = clients.length();
            final long ticks = Math.max(1, (long) (options.intervalSeconds() * 1e9 / TICK_NANOS));
            final long start = System.nanoTime();
            long done = 0;
            final double[] values = new double[options.metrics()];
            while (!stopping) {
                final long now = System.nanoTime();
                // Publishes due by now: n per interval, in connection order.
                final long due = (long) ((now - start) / (double) (ticks * TICK_NANOS) * n);
                for (; done < due && !stopping; done++) {
                    final int i = (int) (done % n);
                    final Mqtt5AsyncClient client = clients.get(i);
                    if (client == null) {
                        continue;
                    }
                    final long s = ++seq[i];
                    for (int m = 0; m < values.length; m++) {
                        values[m] = 3.3 + ((s + m) % 100) * 0.001;
                    }
                    final byte[] payload = PayloadWriter.node(names, values, ParsedPayload.NO_TS, s)
                            .getBytes(StandardCharsets.UTF_8);
                    client.publishWith().topic(topics[i]).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                            .whenComplete((result, error) -> {
                                if (error != null || result.getError().isPresent()) {
                                    failed.increment();
                                } else {
                                    acked.increment();
                                }
                            });
                }
                LockSupport.parkNanos(TICK_NANOS - (System.nanoTime() - start) % TICK_NANOS);
            }
        }
    }

    /** The sum of {@code cellwatch_mqtt_clients_connected} over its tenant labels. */
    static double connectedOnServer(final String page) {
        double sum = 0;
        for (final String line : page.split("\n")) {
            if (line.startsWith("cellwatch_mqtt_clients_connected")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return sum;
    }

    /** Full GC in the server JVM, then its heap used and resident memory. */
    static Memory memory(final long pid) throws Exception {
        final String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        exec(jcmd, Long.toString(pid), "GC.run");
        final String info = exec(jcmd, Long.toString(pid), "GC.heap_info");
        final Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no heap use in jcmd GC.heap_info: " + info);
        }
        double rss = Double.NaN;
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return new Memory(Long.parseLong(used.group(1)) / 1024.0, rss);
    }

    private static String exec(final String... command) throws Exception {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    static List<String> render(final Result r) {
        final Options o = r.options();
        final List<String> out = new ArrayList<>();
        out.add("### D. One node: " + rate(o.connections()) + " MQTT connections, one " + o.metrics()
                + "-metric payload each every " + num(o.intervalSeconds(), 1) + " s");
        out.add("");
        out.add("One cellwatch node (role all, **auth off**, sessions in memory, quotas raised above the load) in its"
                + " own JVM (-Xmx" + o.heap() + ", default GC); the load generator in the benchmark's JVM: HiveMQ MQTT"
                + " client, MQTT 5, connections opened at most " + o.connectRate() + "/s (100 handshakes at once),"
                + " then each publishes a node payload with metrics c1…c" + o.metrics() + " on its own pack node ("
                + PER_TENANT + " gateways per tenant) at QoS 1 every " + num(o.intervalSeconds(), 1)
                + " s, spread evenly. The first interval creates the series; the window is " + num(r.windowSeconds(), 1)
                + " s after two intervals. Heap = jcmd GC.run then GC.heap_info (used); RSS from /proc.");
        out.add("");
        final MarkdownTable t = new MarkdownTable("figure", "value");
        t.row("connections opened / failed", rate(r.connected()) + " / " + r.connectFailures() + " in "
                + num(r.connectSeconds(), 1) + " s");
        t.row("connections held when publishing stopped (client / server gauge)", rate(r.held()) + " / "
                + rate(r.serverHeld()));
        t.row("publishes acknowledged / failed", rate(r.published()) + " / " + rate(r.failed()));
        t.row("offered samples/s", rate(r.connected() * (double) o.metrics() / o.intervalSeconds()));
        t.row("accepted samples/s (window)", "**" + rate(r.accepted()) + "**");
        t.row("written to DuckDB samples/s (window)", "**" + rate(r.written()) + "**");
        t.row("WAL backlog records: max in window / at its end / drained after", rate(r.backlogMax()) + " / "
                + rate(r.backlogEnd()) + " / " + num(r.drainSeconds(), 1) + " s");
        t.row("series", rate(r.series()));
        t.row("server CPU cores used (window)", num(r.cores(), 2));
        t.row("heap after GC: 0 connections", num(r.idle().heapMiB(), 1) + " MiB (RSS " + num(r.idle().rssMiB(), 0)
                + " MiB)");
        t.row("heap after GC: connections, before publishing", num(r.withConnections().heapMiB(), 1) + " MiB (RSS "
                + num(r.withConnections().rssMiB(), 0) + " MiB)");
        t.row("heap after GC: with the series, publishing stopped", num(r.withSeries().heapMiB(), 1) + " MiB (RSS "
                + num(r.withSeries().rssMiB(), 0) + " MiB)");
        t.row("heap per connection", num((r.withConnections().heapMiB() - r.idle().heapMiB()) * 1024
                / Math.max(1, r.connected()), 1) + " KiB");
        t.row("heap per series", num((r.withSeries().heapMiB() - r.withConnections().heapMiB()) * 1024 * 1024
                / Math.max(1, r.series()), 0) + " bytes");
        out.addAll(t.render());
        out.add("");
        return out;
    }
}
