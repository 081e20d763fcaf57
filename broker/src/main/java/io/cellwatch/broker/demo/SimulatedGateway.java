package io.cellwatch.broker.demo;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
    private static final List<String> METRICS = List.of("voltage", "temperature", "soc");

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
            final TopicBuilder rack = plant.node().child("racks", "r" + r);
            for (int k = 1; k <= plant.packsPerRack(); k++) {
                final TopicBuilder pack = rack.child("packs", "k" + k);
                for (int c = 1; c <= plant.cellsPerPack(); c++) {
                    cells[i] = new SimulatedCell(random);
                    cellTopics[i] = pack.child("cells", Integer.toString(c)).node();
                    i++;
                }
            }
        }
    }

    /** Connects and publishes the plant's metadata (retained), waiting at most 10 s. */
    void connect() throws Exception {
        client.connect().get(10, TimeUnit.SECONDS);
        final String meta = PayloadWriter.plantMeta(plant.name(), round(plant.lat(), 4), round(plant.lon(), 4));
        client.publishWith().topic(plant.node().reserved("meta")).qos(MqttQos.AT_LEAST_ONCE).retain(true)
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
            final String payload = PayloadWriter.node(METRICS,
                    new double[]{round(cell.voltage(), 4), round(cell.temperature(), 2), round(cell.soc(), 4)},
                    now, seq++);
            client.publishWith().topic(cellTopics[i]).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        }
        tick++;
    }

    /** Demo values keep a sensor's resolution, not a double's noise. */
    private static double round(final double value, final int decimals) {
        final double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
