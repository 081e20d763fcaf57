package io.cellwatch.broker;

import io.cellwatch.contract.LiveCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.cellwatch.extension.storage.SampleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 22, must-show 2: for about two minutes tenant nordvolt abuses the server in every way items 9–12 name, all at
 * once — WebSocket command spam, unfinished giant WebSocket messages, floods of new series and of large retained
 * messages, huge live snapshots left unread — while acme's gateway publishes 1,000 samples/s and an acme operator
 * watches them live. The server is the runnable jar started with the JVM options of {@code packaging/cellwatch.service}.
 * Acme's p99 publish → WebSocket stays within 250 ms, its gateway is never refused nor disconnected, every acme sample
 * reaches DuckDB exactly once, and the server's heap stays under the unit's {@code -Xmx}. The attack's length is
 * {@code -Dcellwatch.soak.seconds}: the README's test run soaks 30 s (broker/pom.xml), the figures in
 * docs/benchmarks.md come from {@code -Dcellwatch.soak.seconds=120}.
 */
@RunsAlone
@Timeout(480)
class AbuseSoakIT {

    private static final Duration ATTACK = Duration.ofSeconds(Long.getLong("cellwatch.soak.seconds", 120));
    /** The abuses to run, {@code -Dcellwatch.soak.abuse=spam,giant,flood,hogs} (all by default), to study one alone. */
    private static final String ABUSES = System.getProperty("cellwatch.soak.abuse", "spam,giant,flood,hogs");
    private static final Duration CALM_BEFORE = Duration.ofSeconds(5);
    private static final int SAMPLES_PER_SECOND = 1_000;
    private static final int CELLS = 100;
    private static final long P99_BOUND_MILLIS = 250;
    private static final String VICTIM_PLANT = "tenants/acme/plants/soak";
    private static final String PACK = VICTIM_PLANT + "/racks/r1/packs/k1";
    /** An abuser that was cut off comes back after this pause, for the whole attack. */
    private static final long RECONNECT_PAUSE_MILLIS = 200;
    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"} (\\S+)$",
            Pattern.MULTILINE);

    @TempDir
    Path workDir;

    private final int mqttPort = TestServers.freePort();
    private final int httpPort = TestServers.freePort();
    private final Map<String, AtomicLong> abuse = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong victimDisconnects = new AtomicLong();
    private final AtomicLong maxHeap = new AtomicLong();
    private final AtomicLong heapScrapes = new AtomicLong();
    // Until the attack starts no sample counts: the calm before it is the server's warm-up, not its defence.
    private volatile long attackStart = Long.MAX_VALUE;
    private volatile long attackEnd = Long.MAX_VALUE;

    @Test
    void victimTenantKeepsItsLatencyGatewayAndHistoryWhileAnotherTenantAbusesTheServer() throws Exception {
        final List<String> jvm = unitJvmOptions();
        final long xmx = heapBound(jvm);
        final ServerProcess server = ServerProcess.start(workDir, jvm, "--mqtt-port", Integer.toString(mqttPort),
                "--http-port", Integer.toString(httpPort));
        final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        final ExecutorService abusers = Executors.newCachedThreadPool();
        try (LiveClient watcher = new LiveClient(httpPort, TestAccess.ACME_OPERATOR)) {
            watcher.subscribe(VICTIM_PLANT);
            final Mqtt5AsyncClient gateway = victimGateway();
            timers.scheduleAtFixedRate(() -> publishTick(gateway), 0, 10, TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(this::scrapeHeap, 0, 1, TimeUnit.SECONDS);
            final Thread reader = new Thread(() -> readDeltas(watcher), "soak-victim-reader");
            reader.start();

            Thread.sleep(CALM_BEFORE.toMillis());
            attackStart = System.currentTimeMillis();
            final long deadline = attackStart + ATTACK.toMillis();
            if (ABUSES.contains("spam")) {
                abusers.submit(() -> commandSpam(deadline));
            }
            if (ABUSES.contains("giant")) {
                abusers.submit(() -> giantMessages(deadline));
            }
            if (ABUSES.contains("flood")) {
                abusers.submit(() -> seriesAndRetainedFlood(deadline));
            }
            for (int i = 0; i < 3 && ABUSES.contains("hogs"); i++) {
                abusers.submit(() -> unreadSnapshots(deadline));
            }
            abusers.shutdown();
            assertThat(abusers.awaitTermination(ATTACK.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();
            attackEnd = System.currentTimeMillis();

            timers.shutdown();
            assertThat(timers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() + refused.get() == sent.get());
            Thread.sleep(2_000);
            reader.interrupt();
            reader.join(5_000);
            gateway.disconnect().get(10, TimeUnit.SECONDS);

            report(xmx);
            assertThat(server.alive()).as("server still running (ExitOnOutOfMemoryError)").isTrue();
            assertThat(refused.get()).as("victim publishes refused").isZero();
            assertThat(victimDisconnects.get()).as("victim gateway disconnects").isZero();
            assertThat(acked.get()).isEqualTo(sent.get()).isGreaterThan(ATTACK.toSeconds() * SAMPLES_PER_SECOND / 2);
            assertThat(latencies).as("live samples seen during the attack")
                    .hasSizeGreaterThan((int) ATTACK.toSeconds() * 10);
            assertThat(percentile(99)).as("victim p99 publish → WebSocket, ms").isLessThanOrEqualTo(P99_BOUND_MILLIS);
            assertThat(heapScrapes.get()).as("heap scrapes that answered").isGreaterThan(ATTACK.toSeconds() / 2);
            assertThat(maxHeap.get()).as("server heap, bytes").isLessThan(xmx);
            if (ABUSES.contains("spam")) {
                assertThat(abuse.getOrDefault("spam.sent", new AtomicLong()).get()).as("spam commands sent")
                        .isGreaterThan(1_000);
            }
        } finally {
            timers.shutdownNow();
            abusers.shutdownNow();
            server.close();
        }
        assertEverySampleStoredOnce();
    }

    // --- the victim -------------------------------------------------------------------------------------------

    private Mqtt5AsyncClient victimGateway() throws Exception {
        final Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(TestAccess.ACME_GATEWAY)
                .serverHost("127.0.0.1").serverPort(mqttPort)
                .addDisconnectedListener(context -> {
                    // The test's own disconnect at the end is not the server's doing.
                    if (context.getSource() != MqttDisconnectSource.USER) {
                        victimDisconnects.incrementAndGet();
                    }
                })
                .simpleAuth().username(TestAccess.ACME_GATEWAY)
                .password(TestAccess.password(TestAccess.ACME_GATEWAY).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildAsync();
        client.connect().get(30, TimeUnit.SECONDS);
        return client;
    }

    /** Ten publishes every 10 ms: 1,000 samples/s, each stamped with the time it is sent. */
    private void publishTick(final Mqtt5AsyncClient gateway) {
        for (int i = 0; i < SAMPLES_PER_SECOND / 100; i++) {
            final long seq = sent.getAndIncrement();
            final String payload = String.format(Locale.ROOT, "{\"v\":%.3f,\"ts\":%d,\"seq\":%d}",
                    3.0 + (seq % 1000) / 1000.0, System.currentTimeMillis(), seq);
            gateway.publishWith().topic(PACK + "/cells/" + (seq % CELLS) + "/voltage").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                    .whenComplete((result, error) -> (accepted(result, error) ? acked : refused).incrementAndGet());
        }
    }

    private static boolean accepted(final Mqtt5PublishResult result, final Throwable error) {
        return error == null && result.getError().isEmpty()
                && !((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().isError();
    }

    private void readDeltas(final LiveClient watcher) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                final JsonNode frame = watcher.poll(200);
                if (frame == null || !frame.path("type").asText().equals("delta")) {
                    continue;
                }
                final long now = System.currentTimeMillis();
                for (final JsonNode sample : frame.path("samples")) {
                    final long ts = sample.path("ts").asLong();
                    if (ts >= attackStart && ts <= attackEnd) {
                        latencies.add(now - ts);
                    }
                }
            }
        } catch (final InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private void scrapeHeap() {
        try {
            final Matcher heap = HEAP.matcher(new HttpApi(httpPort).get("/metrics").body());
            if (heap.find()) {
                maxHeap.accumulateAndGet((long) Double.parseDouble(heap.group(1)), Math::max);
                heapScrapes.incrementAndGet();
            }
        } catch (final Exception slow) {
            count("heap.scrape.failed");
        }
    }

    private void assertEverySampleStoredOnce() throws Exception {
        final Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"
                + workDir.resolve("data").resolve(SampleStore.DATABASE_FILE).toAbsolutePath(), readOnly);
             ResultSet rs = db.createStatement().executeQuery("SELECT count(*), count(DISTINCT seq) FROM samples_v"
                     + " WHERE series LIKE '" + PACK + "/%'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("victim samples in DuckDB").isEqualTo(acked.get());
            assertThat(rs.getLong(2)).as("distinct victim seq in DuckDB").isEqualTo(acked.get());
        }
    }

    // --- the abusers (tenant nordvolt) ------------------------------------------------------------------------

    /** Item 9: subscribe commands on one socket as fast as it takes them; a socket closed by the server is reopened. */
    private void commandSpam(final long deadline) {
        long i = 0;
        while (System.currentTimeMillis() < deadline) {
            try (RawSocket socket = RawSocket.open(httpPort, TestAccess.NORDVOLT_OPERATOR)) {
                while (System.currentTimeMillis() < deadline && !socket.closed.isDone()) {
                    socket.ws.sendText(LiveCommand.subscribe("tenants/nordvolt/plants/x" + (i++ % 1000)), true).get(5, TimeUnit.SECONDS);
                    count("spam.sent");
                }
            } catch (final Exception cutOff) {
                count("spam.cut-off");
            }
            pause();
        }
    }

    /** Item 10: a text message that never ends, 1 MiB per fragment, up to 2 GiB; reopened when cut off. */
    private void giantMessages(final long deadline) {
        final String chunk = "x".repeat(1 << 20);
        while (System.currentTimeMillis() < deadline) {
            try (RawSocket socket = RawSocket.open(httpPort, TestAccess.NORDVOLT_OPERATOR)) {
                socket.ws.sendText("{\"op\":\"subscribe\",\"path\":\"", false).get(5, TimeUnit.SECONDS);
                for (int mib = 0; mib < 2048 && System.currentTimeMillis() < deadline; mib++) {
                    socket.ws.sendText(chunk, false).get(5, TimeUnit.SECONDS);
                    count("giant.mib");
                }
            } catch (final Exception cutOff) {
                count("giant.cut-off");
            }
            pause();
        }
    }

    /** Item 11: node payloads of 5,000 new metrics each to ever new nodes, and 1 MiB retained plant meta. */
    private void seriesAndRetainedFlood(final long deadline) {
        final StringBuilder fields = new StringBuilder("{");
        for (int f = 0; f < 5_000; f++) {
            fields.append(f == 0 ? "" : ",").append("\"a").append(f).append("\":1.5");
        }
        final byte[] node = fields.append('}').toString().getBytes(StandardCharsets.UTF_8);
        final byte[] meta = ("{\"name\":\"" + "m".repeat(1 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        int k = 0;
        while (System.currentTimeMillis() < deadline) {
            final Mqtt5BlockingClient flood = MqttClient.builder().useMqttVersion5()
                    .identifier(TestAccess.NORDVOLT_GATEWAY).serverHost("127.0.0.1").serverPort(mqttPort)
                    .simpleAuth().username(TestAccess.NORDVOLT_GATEWAY)
                    .password(TestAccess.password(TestAccess.NORDVOLT_GATEWAY).getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().buildBlocking();
            try {
                flood.connect();
                while (System.currentTimeMillis() < deadline) {
                    k++;
                    publishCounted(flood, "tenants/nordvolt/plants/flood/racks/r" + k + "/packs/k1", node, false,
                            "flood.series");
                    if (k % 5 == 0) {
                        publishCounted(flood, "tenants/nordvolt/plants/m" + k + "/meta", meta, true,
                                "flood.retained");
                    }
                }
                flood.disconnect();
            } catch (final Exception cutOff) {
                count("flood.cut-off");
            }
            pause();
        }
    }

    private void publishCounted(final Mqtt5BlockingClient client, final String topic, final byte[] payload,
                                final boolean retain, final String what) {
        try {
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send();
            count(what + ".accepted");
        } catch (final RuntimeException refusedOrCut) {
            if (!client.getState().isConnected()) {
                throw refusedOrCut;
            }
            count(what + ".refused");
        }
    }

    /** Item 12: subscribe to the whole (flooded) tenant and never read; opened again once the server cuts it off. */
    private void unreadSnapshots(final long deadline) {
        while (System.currentTimeMillis() < deadline) {
            try (LiveClient hog = new LiveClient(httpPort, TestAccess.NORDVOLT_OPERATOR)) {
                hog.stopReading();
                hog.subscribe("tenants/nordvolt");
                count("hog.opened");
                try {
                    hog.closedByServer().get(Math.max(1, deadline - System.currentTimeMillis()),
                            TimeUnit.MILLISECONDS);
                    count("hog.closed-by-server");
                } catch (final java.util.concurrent.TimeoutException attackOver) {
                    return;
                }
            } catch (final Exception cutOff) {
                count("hog.cut-off");
            }
            pause();
        }
    }

    /** A WebSocket of {@code /api/v1/live} that reads and drops whatever the server sends. */
    private record RawSocket(WebSocket ws, CompletableFuture<Integer> closed) implements AutoCloseable {

        static RawSocket open(final int port, final String user) throws Exception {
            final CompletableFuture<Integer> closed = new CompletableFuture<>();
            final WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", TestAccess.basic(user))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/live"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data,
                                                         final boolean last) {
                            socket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(final WebSocket socket, final int code, final String why) {
                            closed.complete(code);
                            return null;
                        }

                        @Override
                        public void onError(final WebSocket socket, final Throwable error) {
                            closed.complete(-1);
                        }
                    }).get(10, TimeUnit.SECONDS);
            return new RawSocket(ws, closed);
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

    // --- figures ----------------------------------------------------------------------------------------------

    private void count(final String what) {
        abuse.computeIfAbsent(what, w -> new AtomicLong()).incrementAndGet();
    }

    private static void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE_MILLIS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long percentile(final int p) {
        final long[] sorted;
        synchronized (latencies) {
            sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return sorted.length == 0 ? Long.MAX_VALUE : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private void report(final long xmx) {
        System.out.printf(Locale.ROOT, "abuse soak %d s: victim sent=%d acked=%d refused=%d disconnects=%d;"
                        + " live samples=%d p50=%d ms p99=%d ms max=%d ms; heap max=%d MiB of %d MiB (%d scrapes);"
                        + " abuse %s%n", ATTACK.toSeconds(), sent.get(), acked.get(), refused.get(),
                victimDisconnects.get(), latencies.size(), percentile(50), percentile(99), percentile(100),
                maxHeap.get() >> 20, xmx >> 20, heapScrapes.get(), new java.util.TreeMap<>(abuse));
    }

    // --- the unit file ----------------------------------------------------------------------------------------

    /** The JVM options of the systemd unit's {@code ExecStart}: everything between {@code java} and {@code -jar}. */
    private static List<String> unitJvmOptions() throws Exception {
        final Path unit = Path.of(System.getProperty("basedir", ".")).resolve("../packaging/cellwatch.service");
        final String exec = Files.readAllLines(unit).stream().filter(line -> line.startsWith("ExecStart="))
                .findFirst().orElseThrow(() -> new AssertionError(unit + " has no ExecStart"));
        final List<String> tokens = Arrays.asList(exec.substring("ExecStart=".length()).trim().split("\\s+"));
        return List.copyOf(tokens.subList(1, tokens.indexOf("-jar")));
    }

    private static long heapBound(final List<String> jvm) {
        final String xmx = jvm.stream().filter(option -> option.startsWith("-Xmx")).findFirst()
                .orElseThrow(() -> new AssertionError("the unit sets no -Xmx: " + jvm)).substring(4)
                .toLowerCase(Locale.ROOT);
        final long number = Long.parseLong(xmx.replaceAll("[kmg]$", ""));
        return switch (xmx.charAt(xmx.length() - 1)) {
            case 'g' -> number << 30;
            case 'm' -> number << 20;
            case 'k' -> number << 10;
            default -> number;
        };
    }
}
