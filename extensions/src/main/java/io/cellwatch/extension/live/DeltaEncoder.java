package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Series;

import java.util.List;

/**
 * The wire form of live delta frames, written by the API (which owns the JSON). A flush encodes each changed series
 * once and joins the same bytes into the frame of every watched path the series lies under.
 */
public interface DeltaEncoder {

    /** One series' latest sample as a JSON value, or {@code null} if it has none yet. */
    byte[] sample(Series series);

    /** A delta frame for the watched {@code path} of samples made by {@link #sample} for series under it, in order. */
    byte[] frame(String path, List<byte[]> samples);
}
