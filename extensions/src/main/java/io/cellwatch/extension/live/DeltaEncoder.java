package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Series;

import java.util.List;

/**
 * The wire form of live delta frames, written by the API (which owns the JSON). A flush encodes each changed series
 * once and joins the same bytes into the frame of every watched path the series lies under.
 */
public interface DeltaEncoder {

    /**
     * One series' latest sample, or {@code null} if it has none yet.
     *
     * @param announce whether frames carrying it must give the key of its alias
     */
    DeltaSample sample(Series series, boolean announce);

    /** A delta frame for the watched {@code path} of samples made by {@link #sample} for series under it, in order. */
    byte[] frame(String path, List<DeltaSample> samples);
}
