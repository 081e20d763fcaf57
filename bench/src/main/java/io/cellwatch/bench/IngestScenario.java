package io.cellwatch.bench;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Ingest: the highest sustained rate of accepted samples, flat out over real MQTT connections, for every variant
 * (bare broker, bare broker with a no-op publish interceptor, cellwatch auth off, cellwatch auth+ACL) and QoS, in one
 * run. Each variant gets a fresh server and data
 * folder; per QoS a flat-out warm-up, then {@link SuiteOptions#runs} measured runs. A run's rate is what the broker
 * counted as accepted between the run's start and the moment its last publish was answered, over that time.
 */
final class IngestScenario {

    static final String BARE = "bare HiveMQ CE (no extension)";
    static final String NOOP_INTERCEPTOR = "HiveMQ CE + no-op publish interceptor";
    static final String AUTH_OFF = "cellwatch, auth off";
    static final String AUTH_ACL = "cellwatch, auth+ACL";

    private static final String EVENT_LOOP = "hivemq-eventloop-child";
    private static final String EXECUTOR = "extension-task-executor";
    private static final String HISTORY_WRITER = "cellwatch-history-writer";
    private static final String FANOUT = "cellwatch-live-fanout";

    /**
     * The measured runs of one variant at one QoS.
     *
     * @param accepted    accepted samples/s per run (broker-side counter)
     * @param sent        samples/s the client sent per run
     * @param failed      publishes the client saw fail or refused, over all runs
     * @param cpu         CPU time used over all measured runs (catch-up included), by server thread pool
     * @param publishes   publishes accepted over all measured runs
     */
    record Row(String variant, int qos, List<Double> accepted, List<Double> sent, long failed, ThreadCpu cpu,
               long publishes) {

        /** CPU µs per accepted publish of one server pool, or of every server thread for {@code null}. */
        double microsPerPublish(final String pool) {
            final long nanos = pool == null ? cpu.serverNanos() : cpu.poolNanos(pool);
            return publishes == 0 ? 0 : nanos / 1e3 / publishes;
        }

        /** CPU µs per accepted publish of the rest of the process: load generator, JIT compiler, GC. */
        double restMicrosPerPublish() {
            return publishes == 0 ? 0 : (cpu.processNanos() - cpu.serverNanos()) / 1e3 / publishes;
        }

        double median() {
            return Stats.median(accepted);
        }
    }

    /** All rows, and the variants that could not be measured with the reason. */
    record Result(List<Row> rows, List<String> notMeasured) {

        Optional<Row> row(final String variant, final int qos) {
            return rows.stream().filter(r -> r.variant.equals(variant) && r.qos == qos).findFirst();
        }
    }

    private interface Starter {
        BrokerUnderTest start(Path dir) throws Exception;
    }

    private IngestScenario() {
    }

    static Result run(final SuiteOptions options, final Path root, final PrintStream progress) {
        final List<Row> rows = new ArrayList<>();
        final List<String> notMeasured = new ArrayList<>();
        measure(BARE, dir -> BareBroker.start(BenchServers.authOff(dir)), options, root.resolve("bare"), progress,
                rows, notMeasured);
        measure(NOOP_INTERCEPTOR, dir -> BareBroker.startWithNoopInterceptor(BenchServers.authOff(dir)), options,
                root.resolve("noop"), progress, rows, notMeasured);
        measure(AUTH_OFF, dir -> CellwatchBroker.start(AUTH_OFF, BenchServers.authOff(dir), null), options,
                root.resolve("auth-off"), progress, rows, notMeasured);
        if (options.authVariant()) {
            measure(AUTH_ACL, dir -> authEnforcing(CellwatchBroker.start(AUTH_ACL,
                    BenchServers.authAndAcl(dir, options.load()), BenchServers.GATEWAY_PASSWORD)), options,
                    root.resolve("auth-acl"), progress, rows, notMeasured);
        } else {
            notMeasured.add(AUTH_ACL + ": not measured (--auth-variant off)");
        }
        return new Result(rows, notMeasured);
    }

    /** The server, if it refuses a gateway with a wrong password; otherwise closed and refused as not enforcing. */
    static BrokerUnderTest authEnforcing(final CellwatchBroker broker) {
        try {
            final Mqtt5AsyncClient intruder = MqttLoad.connectOne(LoadShape.clientId(0), broker.mqttPort(),
                    "not-the-password");
            intruder.disconnect().get(10, TimeUnit.SECONDS);
        } catch (final Exception refused) {
            return broker;
        }
        broker.close();
        throw new IllegalStateException("this build's server accepted a gateway with a wrong password: auth is not "
                + "enforced yet, so the figure would be the auth-off figure");
    }

    private static void measure(final String variant, final Starter starter, final SuiteOptions options,
                                final Path dir, final PrintStream progress, final List<Row> rows,
                                final List<String> notMeasured) {
        progress.println("# ingest: " + variant);
        try (BrokerUnderTest broker = starter.start(dir);
             MqttLoad load = MqttLoad.connect(options.load(), broker.mqttPort(), broker.gatewayPassword())) {
            for (final int qos : options.qos()) {
                load.qos(qos);
                if (options.warmupSeconds() > 0) {
                    final long before = broker.acceptedPublishes();
                    final MqttLoad.Run warmup = load.flatOut(options.warmupSeconds());
                    // A QoS 0 backlog left in the broker would be counted by the first measured run.
                    awaitAccepted(broker, before + warmup.sent());
                    progress.println("#   QoS " + qos + " warm-up: sent " + rate(warmup.sentSamplesPerSecond())
                            + " samples/s");
                }
                final List<Double> accepted = new ArrayList<>();
                final List<Double> sent = new ArrayList<>();
                long failed = 0;
                long publishesAll = 0;
                ThreadCpu cpu = new ThreadCpu(0, Map.of());
                for (int i = 1; i <= options.runs(); i++) {
                    final ThreadCpu cpuBefore = ThreadCpu.now();
                    final long before = broker.acceptedPublishes();
                    final MqttLoad.Run run = load.flatOut(options.runSeconds());
                    // QoS 0 is "done" for the client once written: the broker may still be working through a
                    // backlog. The run ends when the broker has taken everything sent.
                    final double catchUp = awaitAccepted(broker, before + run.sent());
                    final long publishes = broker.acceptedPublishes() - before;
                    cpu = cpu.plus(ThreadCpu.now().since(cpuBefore));
                    publishesAll += publishes;
                    accepted.add(publishes * load.shape().payload().samples() / (run.seconds() + catchUp));
                    sent.add(run.sentSamplesPerSecond());
                    failed += run.failed();
                    progress.println("#   QoS " + qos + " run " + i + ": accepted " + rate(accepted.get(i - 1))
                            + " samples/s, sent " + rate(run.sentSamplesPerSecond()) + ", failed " + run.failed()
                            + " (" + num(run.seconds(), 1) + " s + " + num(catchUp, 2) + " s broker catch-up)");
                }
                rows.add(new Row(variant, qos, accepted, sent, failed, cpu, publishesAll));
            }
        } catch (final Exception | Error e) {
            progress.println("#   not measured: " + e);
            notMeasured.add(variant + ": not measured: " + e.getMessage());
        }
    }

    /**
     * Waits until the broker counted {@code target} accepted publishes, or its count stopped moving for 2 s.
     *
     * @return seconds waited until the count last moved
     */
    private static double awaitAccepted(final BrokerUnderTest broker, final long target) throws Exception {
        final long start = System.nanoTime();
        long last = broker.acceptedPublishes();
        long movedAt = start;
        while (last < target) {
            // A cellwatch count is a /metrics scrape over HTTP: polled faster, the scrapes would be server CPU of
            // their own during the catch-up.
            Thread.sleep(100);
            final long now = broker.acceptedPublishes();
            if (now != last) {
                last = now;
                movedAt = System.nanoTime();
            } else if (System.nanoTime() - movedAt > 2_000_000_000L) {
                // Refused or lost publishes never arrive; the stall itself is not counted as catch-up time.
                return (movedAt - start) / 1e9;
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static List<String> render(final SuiteOptions options, final Result result) {
        final List<String> out = new ArrayList<>();
        out.add("### Ingest: max sustained accepted samples/s");
        out.add("");
        out.add("Load: " + options.load().withQos(0).toString().replace(", QoS 0", "") + "; per variant and QoS "
                + num(options.warmupSeconds(), 1) + " s flat-out warm-up, then " + options.runs() + " runs of "
                + num(options.runSeconds(), 1) + " s flat out. Accepted = the broker's own counter (bare: "
                + BareBroker.INCOMING_PUBLISHES + ", also with the no-op interceptor; cellwatch:"
                + " cellwatch_ingest_publishes_accepted from /metrics)"
                + " x samples per publish, over the run's time until its last publish was answered and the broker"
                + " had counted every publish sent (QoS 0 publishes can still be queued in the broker when the client"
                + " is done: that catch-up is part of the run).");
        out.add("");
        final MarkdownTable table = new MarkdownTable("variant", "QoS", "accepted samples/s median (min–max)",
                "accepted publishes/s median", "client sent samples/s median", "failed publishes", "runs");
        for (final Row row : result.rows()) {
            table.row(row.variant(), row.qos(), spread(row.accepted()),
                    rate(row.median() / options.load().payload().samples()), rate(Stats.median(row.sent())),
                    row.failed(), row.accepted().size());
        }
        out.addAll(table.render());
        out.add("");
        final MarkdownTable ratios = new MarkdownTable("ratio (medians, same run)", "QoS 0", "QoS 1");
        ratios.row("no-op interceptor / bare broker (HiveMQ's interceptor hand-off)",
                ratio(result, NOOP_INTERCEPTOR, BARE, 0), ratio(result, NOOP_INTERCEPTOR, BARE, 1));
        ratios.row("cellwatch auth off / no-op interceptor (cellwatch's own work)",
                ratio(result, AUTH_OFF, NOOP_INTERCEPTOR, 0), ratio(result, AUTH_OFF, NOOP_INTERCEPTOR, 1));
        ratios.row("cellwatch auth off / bare broker", ratio(result, AUTH_OFF, BARE, 0), ratio(result, AUTH_OFF, BARE,
                1));
        ratios.row("cellwatch auth+ACL / bare broker", ratio(result, AUTH_ACL, BARE, 0), ratio(result, AUTH_ACL, BARE,
                1));
        ratios.row("cellwatch auth+ACL / cellwatch auth off", ratio(result, AUTH_ACL, AUTH_OFF, 0),
                ratio(result, AUTH_ACL, AUTH_OFF, 1));
        out.addAll(ratios.render());
        out.add("");
        out.add("Where the CPU goes: CPU time per accepted publish (µs) over the measured runs, by thread pool of the"
                + " server (ThreadMXBean), the same runs as above. The pools that do cellwatch's work: HiveMQ's"
                + " extension-task-executor runs the publish interceptor (parse, access check, WAL append, live"
                + " mark); cellwatch-history-writer copies the WAL into DuckDB; cellwatch-live-fanout serves"
                + " WebSocket clients (none here). \"rest\" is the rest of the process: the load generator, JIT, GC.");
        out.add("");
        final MarkdownTable cpu = new MarkdownTable("variant", "QoS", "hivemq-eventloop-child",
                "extension-task-executor", "cellwatch-history-writer", "cellwatch-live-fanout",
                "other server threads", "all server threads", "rest (load generator, JIT, GC)");
        for (final Row row : result.rows()) {
            final double named = row.microsPerPublish(EVENT_LOOP) + row.microsPerPublish(EXECUTOR)
                    + row.microsPerPublish(HISTORY_WRITER) + row.microsPerPublish(FANOUT);
            cpu.row(row.variant(), row.qos(), num(row.microsPerPublish(EVENT_LOOP), 2),
                    num(row.microsPerPublish(EXECUTOR), 2), num(row.microsPerPublish(HISTORY_WRITER), 2),
                    num(row.microsPerPublish(FANOUT), 2), num(row.microsPerPublish(null) - named, 2),
                    num(row.microsPerPublish(null), 2), num(row.restMicrosPerPublish(), 2));
        }
        out.addAll(cpu.render());
        out.add("");
        for (final String missing : result.notMeasured()) {
            out.add("- " + missing);
        }
        if (!result.notMeasured().isEmpty()) {
            out.add("");
        }
        return out;
    }

    /** {@code a / b} of the medians as a percentage, or "not measured". */
    static String ratio(final Result result, final String a, final String b, final int qos) {
        final Optional<Row> top = result.row(a, qos);
        final Optional<Row> bottom = result.row(b, qos);
        if (top.isEmpty() || bottom.isEmpty() || bottom.get().median() == 0) {
            return "not measured";
        }
        return num(100 * top.get().median() / bottom.get().median(), 1) + " %";
    }

    private static String spread(final List<Double> values) {
        return "**" + rate(Stats.median(values)) + "** (" + rate(Stats.min(values)) + "–" + rate(Stats.max(values))
                + ")";
    }
}
