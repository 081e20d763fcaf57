package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Series;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One delta frame of one flush for one watched path, serialised once and shared by every client watching that path.
 *
 * @param path   the watched path the frame was built for
 * @param series the changed series in the frame (their values as of serialisation are in {@code utf8})
 * @param utf8   the JSON text; read-only, each send takes its own {@link ByteBuffer#duplicate()}
 * @param since  {@link System#nanoTime()} when the oldest change in the frame reached the fan-out
 */
public record DeltaFrame(String path, List<Series> series, ByteBuffer utf8, long since) {
}
