package io.cellwatch.extension.ingest;

import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;

/**
 * Receives every accepted sample on the publish path (a broker thread): must be in-memory work only.
 * Implementations are thread-safe; calls for one gateway come from one thread in publish order.
 */
@FunctionalInterface
public interface SampleSink {

    /** Takes one sample of {@code series} published by {@code gateway} (the MQTT client id). */
    void accept(Series series, Sample sample, String gateway);
}
