package io.cellwatch.broker.demo;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The gateway of one simulated plant: a real MQTT 5 connection publishing one node payload per cell per tick
 * ({@code voltage}, {@code temperature}, {@code soc}, {@code ts}, {@code seq}), exactly as a Pi gateway would.
 * Not thread-safe: {@link #publishTick()} is called from one scheduler thread.
 */
final class SimulatedGateway implements AutoCloseable {

    /** A pack's current swings through charge and discharge over this period. */
    private static final double CYCLE_SECONDS = 1200;

    private final DemoPlant plant;
    private final Mqtt5AsyncClient client;
    private final SimulatedCell[] cells;
    private final double[] packPhase;
    private final String[] cellTopics;
    private long seq;
    private long tick;

    SimulatedGateway(final DemoPlant plant, final String host, final int port, final String user,
                     final String password, final long randomSeed) {
        this.plant = plant;
        this.client = MqttClient.builder()
                .useMqttVersion5()
                .identifier("demo-gw-" + plant.tenant() + "-" + plant.id())
                .serverHost(host)
                .serverPort(port)
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .automaticReconnectWithDefaultConfig()
                .buildAsync();
        final Random random = new Random(randomSeed);
        final int packs = plant.racks() * plant.packsPerRack();
        this.packPhase = new double[packs];
        for (int p = 0; p < packs; p++) {
            packPhase[p] = random.nextDouble() * 2 * Math.PI;
        }
        this.cells = new SimulatedCell[plant.cells()];
        this.cellTopics = new String[plant.cells()];
        int i = 0;
        for (int r = 1; r <= plant.racks(); r++) {
            for (int k = 1; k <= plant.packsPerRack(); k++) {
                for (int c = 1; c <= plant.cellsPerPack(); c++) {
                    cells[i] = new SimulatedCell(random);
                    cellTopics[i] = plant.topic() + "/racks/r" + r + "/packs/k" + k + "/cells/" + c;
                    i++;
                }
            }
        }
    }

    /** Connects and publishes the plant's metadata (retained), waiting at most 10 s. */
    void connect() throws Exception {
        client.connect().get(10, TimeUnit.SECONDS);
        final String meta = String.format(Locale.ROOT, "{\"name\":\"%s\",\"lat\":%.4f,\"lon\":%.4f}",
                plant.name(), plant.lat(), plant.lon());
        client.publishWith().topic(plant.topic() + "/meta").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(meta.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** Advances the simulation one second and publishes every cell. */
    void publishTick() {
        final long now = System.currentTimeMillis();
        final int cellsPerPack = plant.cellsPerPack();
        for (int i = 0; i < cells.length; i++) {
            final double current = 60 * Math.sin(2 * Math.PI * tick / CYCLE_SECONDS + packPhase[i / cellsPerPack]);
            final SimulatedCell cell = cells[i];
            cell.step(current, 24);
            final String payload = String.format(Locale.ROOT,
                    "{\"voltage\":%.4f,\"temperature\":%.2f,\"soc\":%.4f,\"ts\":%d,\"seq\":%d}",
                    cell.voltage(), cell.temperature(), cell.soc(), now, seq++);
            client.publishWith().topic(cellTopics[i]).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        }
        tick++;
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
