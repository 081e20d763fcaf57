package io.cellwatch.edge.source;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.config.SimulatorSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simulated cells for demos and tests: each poll moves every cell one step along a charge/discharge cycle and reads
 * voltage, temperature and state of charge, rounded to what a real battery monitor reports. Deterministic for a
 * seed. Called from one poller thread.
 */
public final class SimulatorSource implements Source {

    /** {@code type = simulator}. */
    public static final SourceType<SimulatorSettings> TYPE = new SourceType<>("simulator", SimulatorSettings.class,
            SimulatorSettings::read, (settings, gateway, clock) -> new SimulatorSource(settings, gateway.plantNode()));

    private static final List<String> METRICS = List.of("voltage", "temperature", "soc");

    private final String name;
    private final List<String> nodes = new ArrayList<>();
    private final double[] soc;
    private final double[] temperature;
    private final Random random;
    private long step;

    public SimulatorSource(final SimulatorSettings settings, final TopicBuilder plant) {
        this.name = settings.name();
        this.random = new Random(settings.seed());
        for (int r = 1; r <= settings.racks(); r++) {
            for (int k = 1; k <= settings.packs(); k++) {
                for (int c = 1; c <= settings.cells(); c++) {
                    nodes.add(plant.child("racks", "r" + r).child("packs", "k" + k)
                            .child("cells", Integer.toString(c)).node());
                }
            }
        }
        this.soc = new double[nodes.size()];
        this.temperature = new double[nodes.size()];
        for (int i = 0; i < soc.length; i++) {
            soc[i] = 0.35 + random.nextDouble() * 0.5;
            temperature[i] = 24 + random.nextDouble() * 3;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<NodeReading> poll(final long now) {
        final double current = 60 * Math.sin(2 * Math.PI * step++ / 1200.0);
        final List<NodeReading> out = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            soc[i] = Math.max(0.02, Math.min(0.99, soc[i] + current / 360_000));
            temperature[i] += Math.abs(current) * 0.0005 - (temperature[i] - 24) * 0.01 + random.nextGaussian() * 0.02;
            final double voltage = 3.0 + 1.15 * soc[i] + current * 0.0008 + random.nextGaussian() * 0.002;
            out.add(new NodeReading(nodes.get(i), METRICS,
                    new double[]{round(voltage, 4), round(temperature[i], 2), round(soc[i], 4)}, now));
        }
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

    private static double round(final double value, final int decimals) {
        final double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
