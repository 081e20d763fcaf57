package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Series;

/**
 * One changed series' sample as encoded once in a flush, shared by every delta frame that carries it.
 *
 * @param series   the series
 * @param utf8     the sample's bytes as the {@link DeltaEncoder} wrote them
 * @param announce whether frames carrying it must give the key of its alias (its first delta since start-up)
 */
public record DeltaSample(Series series, byte[] utf8, boolean announce) {

    /** The same sample, announcing its alias. */
    DeltaSample announced() {
        return announce ? this : new DeltaSample(series, utf8, true);
    }
}
