package io.cellwatch.broker.demo;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.config.BrokerSettings;
import io.cellwatch.edge.config.BufferSettings;
import io.cellwatch.edge.config.GatewayConfig;
import io.cellwatch.edge.config.PublishSettings;
import io.cellwatch.edge.config.SimulatorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code --demo}: simulated plants of two tenants, each behind the real plant gateway core
 * ({@code cellwatch-gateway-core}: simulator source, disk buffer, MQTT 5 link), publishing every cell once a second so
 * the API and dashboard are alive at once. Each gateway logs in as its plant's gateway user under a stable client id
 * (the user name), and keeps its buffer under {@code bufferRoot}, so its {@code seq} continues across demo restarts.
 * Start and close are idempotent.
 */
public final class DemoFleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoFleet.class);

    private final List<DemoPlant> plants;
    private final String host;
    private final int port;
    private final DemoAccess access;
    private final Path bufferRoot;
    private final List<Gateway> gateways = new ArrayList<>();
    private boolean started;

    public DemoFleet(final List<DemoPlant> plants, final String host, final int port, final DemoAccess access,
                     final Path bufferRoot) {
        this.plants = List.copyOf(plants);
        this.host = host;
        this.port = port;
        this.access = access;
        this.bufferRoot = bufferRoot;
    }

    /** Three plants of 2 racks × 4 packs × 16 cells: two of tenant {@code acme}, one of tenant {@code nordvolt}. */
    public static List<DemoPlant> standardPlants() {
        return List.of(
                new DemoPlant("acme", "p1", "Rotterdam harbour", 51.9490, 4.1453, 2, 4, 16),
                new DemoPlant("acme", "p2", "Lyon east", 45.7578, 4.8320, 2, 4, 16),
                new DemoPlant("nordvolt", "p3", "Skelleftea", 64.7507, 20.9528, 2, 4, 16));
    }

    public List<DemoPlant> plants() {
        return plants;
    }

    /** The gateway config of {@code plant}: a simulator polled every second, as a Pi gateway's file would say. */
    GatewayConfig gatewayConfig(final DemoPlant plant, final long seed) {
        final String user = DemoAccess.gatewayUser(plant);
        return new GatewayConfig(plant.tenant(), plant.id(), user,
                BrokerSettings.single(host, port, false, user, access.password(user), Duration.ofDays(1)),
                new BufferSettings(bufferRoot.resolve(user), 64L << 20),
                new PublishSettings(500, 10_000, Duration.ofMillis(100), Duration.ofSeconds(5)),
                null,
                List.of(new SimulatorSettings("simulator", Duration.ofSeconds(1), plant.racks(), plant.packsPerRack(),
                        plant.cellsPerPack(), seed)));
    }

    /**
     * Starts every gateway (in parallel: each opens its buffer) and publishes every plant's metadata (retained)
     * alongside; the gateways connect and publish at once, then every second.
     */
    public synchronized void start() throws Exception {
        if (started) {
            return;
        }
        started = true;
        final List<CompletableFuture<Void>> starts = new ArrayList<>();
        long seed = 42;
        for (final DemoPlant plant : plants) {
            final Gateway gateway = new Gateway(gatewayConfig(plant, seed++), Clock.systemUTC());
            gateways.add(gateway);
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    gateway.start();
                } catch (final Exception e) {
                    throw new CompletionException(e);
                }
            }));
            publishMeta(plant);
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("a demo gateway failed to start: " + e.getCause().getMessage(), e);
        }
    }

    /** Plant metadata is not telemetry: one retained publish as the plant's gateway user, on its own client id. */
    private void publishMeta(final DemoPlant plant) {
        final String user = DemoAccess.gatewayUser(plant);
        final Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5()
                .identifier(user + "-meta").serverHost(host).serverPort(port)
                .simpleAuth().username(user).password(access.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildAsync();
        final String meta = PayloadWriter.plantMeta(plant.name(), round(plant.lat()), round(plant.lon()));
        client.connect()
                .thenCompose(ack -> client.publishWith().topic(plant.node().reserved("meta"))
                        .qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(meta.getBytes(StandardCharsets.UTF_8))
                        .send())
                .whenComplete((result, error) -> {
                    if (error != null) {
                        log.warn("demo plant {}: publishing its metadata failed: {}", plant.topic(), error.toString());
                    }
                    client.disconnect();
                });
    }

    private static double round(final double degrees) {
        return Math.round(degrees * 10_000) / 10_000.0;
    }

    /** One line for the start-up report. */
    public String describe() {
        final int cells = plants.stream().mapToInt(DemoPlant::cells).sum();
        final String where = plants.stream().map(DemoPlant::topic).collect(Collectors.joining(", "));
        final int samples = plants.stream().mapToInt(DemoPlant::samplesPerSecond).sum();
        return plants.size() + " simulated plants behind the plant gateway, " + cells + " cells, " + samples
                + " samples/s: " + where;
    }

    @Override
    public synchronized void close() {
        gateways.forEach(Gateway::close);
        gateways.clear();
    }
}
