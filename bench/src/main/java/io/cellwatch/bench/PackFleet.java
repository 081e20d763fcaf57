package io.cellwatch.bench;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.ingest.Gateway;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;

import java.util.List;

/**
 * The simulated plant: {@code packs} packs of 96 cells, each cell a node publishing voltage, temperature and state of
 * charge in one payload, each pack behind its own gateway — the shape of a real node publish
 * ({@code tenants/bench/plants/p1/racks/r1/packs/k{n}/cells/{c}}). Created through the catalog and registry, so
 * their creation listeners (the WAL) see every definition. Immutable after creation; thread-safe.
 */
final class PackFleet {

    static final int CELLS_PER_PACK = 96;
    static final List<String> METRICS = List.of("voltage", "temperature", "soc");
    static final int SERIES_PER_PACK = CELLS_PER_PACK * METRICS.size();

    private final Series[][] cellSeries;
    private final Gateway[] cellGateway;

    private PackFleet(final Series[][] cellSeries, final Gateway[] cellGateway) {
        this.cellSeries = cellSeries;
        this.cellGateway = cellGateway;
    }

    /** Interns every node, series and gateway of {@code packs} packs. */
    static PackFleet create(final SeriesCatalog catalog, final GatewayRegistry gateways, final int packs) {
        final int cells = packs * CELLS_PER_PACK;
        final Series[][] cellSeries = new Series[cells][];
        final Gateway[] cellGateway = new Gateway[cells];
        for (int pack = 0; pack < packs; pack++) {
            final Gateway gateway = gateways.gateway(GatewayKey.anonymous("bench-gw-k" + (pack + 1)));
            for (int c = 0; c < CELLS_PER_PACK; c++) {
                final int cell = pack * CELLS_PER_PACK + c;
                final SeriesNode node = catalog.internNode(List.of(nodePath(pack + 1, c + 1).split("/")));
                cellSeries[cell] = METRICS.stream().map(m -> catalog.internSeries(node, m)).toArray(Series[]::new);
                cellGateway[cell] = gateway;
            }
        }
        return new PackFleet(cellSeries, cellGateway);
    }

    /** The node of cell {@code cell} (1-based) of pack {@code pack} (1-based). */
    static String nodePath(final int pack, final int cell) {
        return node(pack, cell).node();
    }

    /** The node of cell {@code cell} (1-based) of pack {@code pack} (1-based), to build its metric topics. */
    static TopicBuilder node(final int pack, final int cell) {
        return TopicBuilder.tenant("bench").child("plants", "p1").child("racks", "r1").child("packs", "k" + pack)
                .child("cells", Integer.toString(cell));
    }

    int cells() {
        return cellSeries.length;
    }

    /** The series of one cell's payload, in {@link #METRICS} order; shared, never modify. */
    Series[] series(final int cell) {
        return cellSeries[cell];
    }

    Gateway gateway(final int cell) {
        return cellGateway[cell];
    }
}
