package io.cellwatch.extension.api;

import io.cellwatch.extension.live.SnapshotPages;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The snapshot a live subscribe answers with, taken when the subscribe is handled (each series with the sample it had
 * then, so the deltas held until it is read are never older) and written in pages of at most {@code pageSeries}
 * series as the client reads them. Fan-out thread only.
 */
final class LiveSnapshot implements SnapshotPages {

    private final String path;
    private final List<Series> series;
    private final List<Sample> samples;
    private final int pageSeries;
    private int sent;
    private boolean first = true;

    LiveSnapshot(final String path, final Collection<Series> under, final int pageSeries) {
        this.path = path;
        this.pageSeries = pageSeries;
        this.series = new ArrayList<>(under.size());
        this.samples = new ArrayList<>(under.size());
        for (final Series s : under) {
            final Sample sample = s.latest();
            if (sample != null) {
                series.add(s);
                samples.add(sample);
            }
        }
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean hasNext() {
        // An empty subtree still answers with one (empty) snapshot.
        return first || sent < series.size();
    }

    @Override
    public ByteBuffer next() {
        final int end = Math.min(series.size(), sent + pageSeries);
        final byte[] page = ApiJson.liveSnapshotPage(path, series.subList(sent, end), samples.subList(sent, end),
                first, end < series.size());
        sent = end;
        first = false;
        return ByteBuffer.wrap(page);
    }
}
