package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;

/**
 * One changed series' sample as encoded once in a flush, shared by every delta frame that carries it.
 *
 * @param series   the series
 * @param sample   its latest sample when the flush drained it
 * @param utf8     what the {@link DeltaEncoder} wrote of it once for every frame
 * @param announce whether frames carrying it must give the key of its alias (its first delta since start-up)
 */
public record DeltaSample(Series series, Sample sample, byte[] utf8, boolean announce) {

    /** The same sample, announcing its alias. */
    DeltaSample announced() {
        return announce ? this : new DeltaSample(series, sample, utf8, true);
    }
}
