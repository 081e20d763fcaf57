package io.cellwatch.extension.ingest;

import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;

/**
 * One accepted publish: one or more samples sharing gateway, sequence number and time. The arrays are parallel and
 * owned by this object; it lives for one publish on the publish path, so they are not copied.
 *
 * @param gateway    the publishing gateway
 * @param seq        the gateway's sequence number, or -1 if it sent none
 * @param ts         device time (or server time if the device's was missing or implausible), epoch milliseconds
 * @param receivedAt server time the publish was accepted, epoch milliseconds
 * @param series     the series of each sample
 * @param values     the value of each sample
 * @param source     where it came from in Kafka on a serving node, else {@code null}
 */
public record IngestedPublish(Gateway gateway, long seq, long ts, long receivedAt, Series[] series,
                              double[] values, RelayPosition source) {

    /** A publish taken on this node's MQTT listener. */
    public IngestedPublish(final Gateway gateway, final long seq, final long ts, final long receivedAt,
                           final Series[] series, final double[] values) {
        this(gateway, seq, ts, receivedAt, series, values, null);
    }

    /** Number of samples. */
    public int size() {
        return series.length;
    }

    /** The {@code i}-th sample. */
    public Sample sample(final int i) {
        return new Sample(values[i], ts, receivedAt, seq);
    }
}
