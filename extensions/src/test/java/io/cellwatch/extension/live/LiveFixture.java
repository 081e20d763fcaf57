package io.cellwatch.extension.live;

import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.config.LiveSettings;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** A series catalog, a manual monotonic clock and a fan-out whose frames read {@code key=value,…}, for live tests. */
final class LiveFixture {

    final SeriesCatalog catalog = new SeriesCatalog();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final LiveMetrics metrics = new LiveMetrics(Metrics.create());
    final LiveFanout fanout;

    LiveFixture(final LiveSettings settings) {
        fanout = new LiveFanout(settings, ENCODER, metrics, nanos::get);
    }

    /** Frames read {@code key=value,…} with full keys, whatever the path. */
    static final DeltaEncoder ENCODER = new DeltaEncoder() {
        @Override
        public DeltaSample sample(final Series series, final boolean announce) {
            return series.latest() == null ? null : new DeltaSample(series, series.latest(),
                    (series.key() + "=" + series.latest().value()).getBytes(StandardCharsets.UTF_8), announce);
        }

        @Override
        public byte[] frame(final String path, final List<DeltaSample> samples) {
            return samples.stream().map(s -> new String(s.utf8(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining(",")).getBytes(StandardCharsets.UTF_8);
        }
    };

    static String text(final DeltaFrame frame) {
        return StandardCharsets.UTF_8.decode(frame.utf8().duplicate()).toString();
    }

    Series series(final String key) {
        final int cut = key.lastIndexOf('/');
        return catalog.internSeries(catalog.internNode(List.of(key.substring(0, cut).split("/"))),
                key.substring(cut + 1));
    }

    void publish(final Series series, final double value, final long ts) {
        // The fan-out reads series and samples only; the gateway (the retry guard's business) stays out of these tests.
        fanout.accept(new IngestedPublish(null, -1, ts, ts, new Series[]{series}, new double[]{value}));
    }
}
