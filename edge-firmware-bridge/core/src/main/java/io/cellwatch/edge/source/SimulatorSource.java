package io.cellwatch.edge.source;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.config.SimulatorSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simulated packs for demos and tests: each pack is a {@link PackPhysics} (cells with their own resistance and
 * capacity, one planted weak cell in every third pack, a pack current stepping between charge, discharge and rest),
 * and each poll is one simulated second: every cell's voltage, temperature and state of charge, and every pack's
 * current, state of charge and voltage, rounded to what a real battery monitor reports. Deterministic for a seed.
 * Called from one poller thread.
 */
public final class SimulatorSource implements Source {

    /** {@code type = simulator}. */
    public static final SourceType<SimulatorSettings> TYPE = new SourceType<>("simulator", SimulatorSettings.class,
            SimulatorSettings::read, (settings, gateway, clock) -> new SimulatorSource(settings, gateway.plantNode()));

    private static final List<String> CELL_METRICS = List.of("voltage", "temperature", "soc");
    private static final List<String> PACK_METRICS = List.of("current", "soc", "voltage");
    private static final double CAPACITY_AH = 100;

    private final String name;
    private final List<String> packNodes = new ArrayList<>();
    private final List<List<String>> cellNodes = new ArrayList<>();
    private final List<PackPhysics> packs = new ArrayList<>();
    private long second;

    public SimulatorSource(final SimulatorSettings settings, final TopicBuilder plant) {
        this.name = settings.name();
        final Random random = new Random(settings.seed());
        for (int r = 1; r <= settings.racks(); r++) {
            for (int k = 1; k <= settings.packs(); k++) {
                final TopicBuilder pack = plant.child("racks", "r" + r).child("packs", "k" + k);
                final List<String> cells = new ArrayList<>();
                for (int c = 1; c <= settings.cells(); c++) {
                    cells.add(pack.child("cells", Integer.toString(c)).node());
                }
                final int index = packs.size();
                // Every third pack has a weak cell; the packs start at different states of charge.
                final int[] weak = index % 3 == 1 ? new int[]{(index * 5 + 3) % settings.cells()} : new int[0];
                packs.add(new PackPhysics(settings.cells(), CAPACITY_AH, 0.35 + random.nextDouble() * 0.5,
                        random.nextLong(), weak));
                packNodes.add(pack.node());
                cellNodes.add(cells);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<NodeReading> poll(final long now) {
        final List<NodeReading> out = new ArrayList<>();
        for (int p = 0; p < packs.size(); p++) {
            final PackPhysics pack = packs.get(p);
            final double current = pack.advance(second);
            final List<String> cells = cellNodes.get(p);
            double packVolts = 0;
            for (int c = 0; c < cells.size(); c++) {
                final double volts = pack.cellVolts(c);
                packVolts += volts;
                out.add(new NodeReading(cells.get(c), CELL_METRICS,
                        new double[]{volts, pack.cellTemperature(c), pack.cellSoc(c)}, now));
            }
            out.add(new NodeReading(packNodes.get(p), PACK_METRICS,
                    new double[]{current, pack.packSoc(), Math.round(packVolts * 1_000) / 1_000.0}, now));
        }
        second++;
        return out;
    }

    @Override
    public long readErrors() {
        return 0;
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
