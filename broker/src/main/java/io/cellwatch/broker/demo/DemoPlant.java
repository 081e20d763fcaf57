package io.cellwatch.broker.demo;

import io.cellwatch.contract.TopicBuilder;

/**
 * One simulated plant: where it is and how big it is.
 *
 * @param tenant owner of the plant's data
 * @param id     plant id in topics
 * @param name   human name, published as plant metadata
 */
public record DemoPlant(String tenant, String id, String name, double lat, double lon, int racks, int packsPerRack,
                        int cellsPerPack) {

    /** Number of cells in the plant. */
    public int cells() {
        return racks * packsPerRack * cellsPerPack;
    }

    /** Samples its gateway publishes each second: 3 per cell (voltage, temperature, SoC), 3 per pack (current…). */
    public int samplesPerSecond() {
        return cells() * 3 + racks * packsPerRack * 3;
    }

    /** The plant node, e.g. {@code tenants/acme/plants/p1}. */
    public TopicBuilder node() {
        return TopicBuilder.tenant(tenant).child("plants", id);
    }

    /** The topic of the plant node, e.g. {@code tenants/acme/plants/p1}. */
    public String topic() {
        return node().node();
    }
}
