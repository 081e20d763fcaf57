package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Series;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One delta frame of one flush for one watched path, serialised once and shared by every client watching that path.
 *
 * @param path    the watched path the frame was built for
 * @param samples the changed series' samples as encoded into {@code utf8}, in order: a slow client's catch-up frame
 *                joins these bytes again instead of encoding the series anew
 * @param utf8    the JSON text; read-only, each send takes its own {@link ByteBuffer#duplicate()}
 * @param since   {@link System#nanoTime()} when the oldest change in the frame reached the fan-out
 */
public record DeltaFrame(String path, List<DeltaSample> samples, ByteBuffer utf8, long since) {

    /** The series in the frame, in order. */
    public List<Series> series() {
        return samples.stream().map(DeltaSample::series).toList();
    }
}
