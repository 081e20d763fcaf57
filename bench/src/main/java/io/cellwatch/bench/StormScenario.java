package io.cellwatch.bench;

import io.cellwatch.contract.LiveCommand;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.config.BrokerSettings;
import io.cellwatch.edge.config.BufferSettings;
import io.cellwatch.edge.config.GatewayConfig;
import io.cellwatch.edge.config.PublishSettings;
import io.cellwatch.edge.config.SimulatorSettings;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reconnect storm (issue 11, must-show 5): {@code gateways} real plant gateways ({@code edge-firmware-bridge}:
 * simulator source, Chronicle disk buffer, MQTT 5 link with full-jitter backoff) poll for {@code outage} while no
 * broker listens, so each builds a backlog; then cellwatch starts on their port and they all reconnect at once and
 * drain (still polling). Meanwhile a probe client publishes a value every 100 ms to its own series and a WebSocket
 * client of {@code /api/v1/live} (global admin) measures publish → delivery. Prints the drain time, backlogs and the
 * probe latency. Gateways, probe and server share one JVM (and the machine's cores). Auth and ACL are on: every
 * gateway logs in.
 */
final class StormScenario {

    // A delta sample is [alias,value,ts,seq] (["relative key",value,…] above the tenants): the value follows the name.
    private static final Pattern VALUE = Pattern.compile("(?:\\[\\d+|\"),([0-9.Ee+-]+)[,\\]]");

    /** The run's sizes. */
    record Options(int gateways, int cellsPerGateway, Duration poll, Duration outage, Duration maxDrain) {

        static Options parse(final List<String> args) {
            Options o = new Options(200, 8, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
            for (int i = 0; i + 1 < args.size(); i += 2) {
                final int n = Integer.parseInt(args.get(i + 1));
                o = switch (args.get(i)) {
                    case "--gateways" -> new Options(n, o.cellsPerGateway, o.poll, o.outage, o.maxDrain);
                    case "--cells" -> new Options(o.gateways, n, o.poll, o.outage, o.maxDrain);
                    case "--outage-seconds" -> new Options(o.gateways, o.cellsPerGateway, o.poll,
                            Duration.ofSeconds(n), o.maxDrain);
                    default -> throw new IllegalArgumentException("unknown flag " + args.get(i)
                            + " (storm takes --gateways N --cells N --outage-seconds N)");
                };
            }
            return o;
        }
    }

    /**
     * @param backlog       payloads buffered and unsent, summed over the gateways, when the broker came up
     * @param drainSeconds  from the broker's start until every gateway had its backlog acknowledged
     * @param probeMicros   probe publish → WebSocket delivery during the drain
     * @param probesLost    probe publishes sent during the drain and never delivered
     */
    record Result(Options options, long backlog, long minBacklog, long maxBacklog, double brokerStartSeconds,
                  double connectedSeconds, double drainSeconds, long reconnects, long refused,
                  Histogram probeMicros, long probesSent,
                  long probesLost) {

        String render() {
            return String.format("""
                    | storm | value |
                    |---|---|
                    | gateways (1 JVM, with the server) | %d, %d cells each, polled every %d ms |
                    | outage (no broker listening) | %d s |
                    | backlog at reconnect | %d payloads (%d cell samples): %d–%d per gateway |
                    | server start | %.1f s |
                    | every gateway connected after | %.1f s from the server's start (backoff: 1 s doubling, full jitter) |
                    | all backlogs acknowledged after | %.1f s from the server's start |
                    | reconnects after a loss (first connects not counted) | %d |
                    | publishes refused | %d |
                    | probe publish → WebSocket during the drain | %d probes, p50 %.0f ms, p99 %.0f ms, max %.0f ms, %d over 1 s, %d lost |
                    """, options.gateways, options.cellsPerGateway, options.poll.toMillis(),
                    options.outage.toSeconds(), backlog, backlog * 3, minBacklog, maxBacklog,
                    brokerStartSeconds, connectedSeconds, drainSeconds, reconnects, refused,
                    probeMicros.getTotalCount(),
                    probeMicros.getValueAtPercentile(50) / 1000.0, probeMicros.getValueAtPercentile(99) / 1000.0,
                    probeMicros.getMaxValue() / 1000.0, probeMicros.getCountBetweenValues(1_000_001, Long.MAX_VALUE),
                    probesLost);
        }
    }

    private StormScenario() {
    }

    public static void main(final String[] args) {
        try {
            final Options options = Options.parse(List.of(args));
            final Path root = Files.createTempDirectory("cellwatch-storm-");
            final Result result = run(options, root, System.out);
            System.out.println();
            System.out.println("Command: java -jar bench/target/cellwatch-bench.jar storm " + String.join(" ", args));
            System.out.println();
            System.out.print(result.render());
            System.out.flush();
            System.exit(0);
        } catch (final Exception | Error e) {
            System.err.println("storm failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Result run(final Options options, final Path root, final PrintStream progress) throws Exception {
        // One more user than gateways: the probe publishes as its own client.
        final LoadShape users = new LoadShape(options.gateways + 1, 1, LoadShape.Payload.NODE, 1, 1);
        final ServerConfig config = BenchServers.authAndAcl(root.resolve("server"), users);
        final String probeUser = LoadShape.clientId(options.gateways);
        final List<Gateway> gateways = new ArrayList<>();
        try {
            for (int g = 0; g < options.gateways; g++) {
                final Gateway gateway = new Gateway(gatewayConfig(options, config.mqttPort(), root, g),
                        Clock.systemUTC());
                gateway.start();
                gateways.add(gateway);
            }
            progress.printf("# storm: %d gateways polling with no broker on port %d for %d s%n", gateways.size(),
                    config.mqttPort(), options.outage.toSeconds());
            Thread.sleep(options.outage.toMillis());
            final long[] backlogs = gateways.stream().mapToLong(g -> g.buffer().depth()).toArray();
            final long started = System.nanoTime();
            try (CellwatchBroker broker = CellwatchBroker.start("storm", config, BenchServers.GATEWAY_PASSWORD)) {
                final double startSeconds = (System.nanoTime() - started) / 1e9;
                progress.printf("# storm: server up after %.1f s; %d payloads buffered%n", startSeconds,
                        sum(backlogs));
                final Histogram micros = new Histogram(3);
                final ConcurrentHashMap<Long, Long> sent = new ConcurrentHashMap<>();
                final String probeNode = TopicBuilder.tenant(BenchServers.TENANT).child("plants", "probe").node();
                final WebSocket socket = subscribe(broker.server().httpPort(), probeNode, sent, micros);
                final Mqtt5BlockingClient probe = MqttClient.builder().useMqttVersion5().identifier(probeUser)
                        .serverHost("127.0.0.1").serverPort(config.mqttPort())
                        .simpleAuth().username(probeUser)
                        .password(BenchServers.GATEWAY_PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                        .buildBlocking();
                probe.connect();
                final String probeTopic = TopicBuilder.tenant(BenchServers.TENANT).child("plants", "probe")
                        .metric("ordinal");
                long ordinal = 1;
                double drained = -1;
                double connected = -1;
                final long deadline = started + options.maxDrain.toNanos();
                while (System.nanoTime() < deadline) {
                    sent.put(ordinal, System.nanoTime());
                    probe.publishWith().topic(probeTopic).qos(MqttQos.AT_LEAST_ONCE)
                            .payload(Long.toString(ordinal).getBytes(StandardCharsets.UTF_8)).send();
                    ordinal++;
                    if (connected < 0 && gateways.stream().allMatch(Gateway::connected)) {
                        connected = (System.nanoTime() - started) / 1e9;
                        progress.printf("# storm: every gateway connected after %.1f s%n", connected);
                    }
                    if (drained < 0 && allAcked(gateways, backlogs)) {
                        drained = (System.nanoTime() - started) / 1e9;
                        progress.printf("# storm: every backlog acknowledged after %.1f s%n", drained);
                        break;
                    }
                    Thread.sleep(100);
                }
                // Late deliveries of the last probes still count.
                final long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (!sent.isEmpty() && System.nanoTime() < waitUntil) {
                    Thread.sleep(50);
                }
                probe.disconnect();
                socket.abort();
                if (drained < 0) {
                    throw new IllegalStateException("backlogs not drained within " + options.maxDrain);
                }
                final long reconnects = gateways.stream().mapToLong(g -> g.stats().reconnects()).sum();
                final long refused = gateways.stream().mapToLong(g -> g.stats().refused()).sum();
                return new Result(options, sum(backlogs), min(backlogs), max(backlogs), startSeconds, connected,
                        drained,
                        reconnects, refused, micros, ordinal - 1, sent.size());
            }
        } finally {
            gateways.forEach(Gateway::close);
        }
    }

    private static boolean allAcked(final List<Gateway> gateways, final long[] backlogs) {
        for (int g = 0; g < gateways.size(); g++) {
            if (gateways.get(g).stats().acked() < backlogs[g]) {
                return false;
            }
        }
        return true;
    }

    private static GatewayConfig gatewayConfig(final Options options, final int port, final Path root, final int g) {
        final String id = LoadShape.clientId(g);
        return new GatewayConfig(BenchServers.TENANT, "s" + (g + 1), id,
                BrokerSettings.single("127.0.0.1", port, false, id, BenchServers.GATEWAY_PASSWORD,
                        Duration.ofHours(1)),
                new BufferSettings(root.resolve("gateways").resolve(id), 64L << 20),
                // The shipped defaults: 100 in flight, 2000 publishes/s, backoff 1 s doubling to 2 min, full jitter.
                new PublishSettings(100, 2000, Duration.ofSeconds(1), Duration.ofMinutes(2)),
                null,
                List.of(new SimulatorSettings("sim", options.poll, 1, 1, options.cellsPerGateway, g)));
    }

    private static WebSocket subscribe(final int httpPort, final String path, final ConcurrentHashMap<Long, Long> sent,
                                       final Histogram micros) throws Exception {
        final String basic = Base64.getEncoder().encodeToString((BenchServers.ADMIN + ":"
                + BenchServers.GATEWAY_PASSWORD).getBytes(StandardCharsets.UTF_8));
        final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Basic " + basic)
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/api/v1/live"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
                        text.append(data);
                        if (last) {
                            final long arrived = System.nanoTime();
                            final Matcher m = VALUE.matcher(text);
                            while (m.find()) {
                                final Long at = sent.remove((long) Double.parseDouble(m.group(1)));
                                if (at != null) {
                                    synchronized (micros) {
                                        micros.recordValue(Math.max(0, (arrived - at) / 1_000));
                                    }
                                }
                            }
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText(LiveCommand.subscribe(path), true).get(10, TimeUnit.SECONDS);
        return socket;
    }

    private static long sum(final long[] values) {
        long s = 0;
        for (final long v : values) {
            s += v;
        }
        return s;
    }

    private static long min(final long[] values) {
        long m = Long.MAX_VALUE;
        for (final long v : values) {
            m = Math.min(m, v);
        }
        return values.length == 0 ? 0 : m;
    }

    private static long max(final long[] values) {
        long m = 0;
        for (final long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
