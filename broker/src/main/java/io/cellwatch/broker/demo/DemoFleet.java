package io.cellwatch.broker.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code --demo}: simulated plants of two tenants, each behind its own gateway connection, publishing every cell
 * once a second so the API and dashboard are alive at once. Start and close are idempotent.
 */
public final class DemoFleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoFleet.class);

    private final List<DemoPlant> plants;
    private final String host;
    private final int port;
    private final DemoAccess access;
    private final List<SimulatedGateway> gateways = new ArrayList<>();
    private ScheduledExecutorService ticker;

    public DemoFleet(final List<DemoPlant> plants, final String host, final int port, final DemoAccess access) {
        this.plants = List.copyOf(plants);
        this.host = host;
        this.port = port;
        this.access = access;
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

    /** Connects every gateway and starts publishing at once, then every second. */
    public synchronized void start() throws Exception {
        if (ticker != null) {
            return;
        }
        long seed = 42;
        for (final DemoPlant plant : plants) {
            final String user = DemoAccess.gatewayUser(plant);
            final SimulatedGateway gateway = new SimulatedGateway(plant, host, port, user, access.password(user),
                    seed++);
            gateway.connect();
            gateways.add(gateway);
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "cellwatch-demo");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        for (final SimulatedGateway gateway : gateways) {
            try {
                gateway.publishTick();
            } catch (final RuntimeException e) {
                log.warn("demo gateway failed to publish", e);
            }
        }
    }

    /** One line for the start-up report. */
    public String describe() {
        final int cells = plants.stream().mapToInt(DemoPlant::cells).sum();
        final String where = plants.stream().map(p -> p.topic()).collect(Collectors.joining(", "));
        return plants.size() + " simulated plants, " + cells + " cells, " + cells * 3 + " samples/s: " + where;
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        gateways.forEach(SimulatedGateway::close);
        gateways.clear();
    }
}
