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
 */
public record IngestedPublish(Gateway gateway, long seq, long ts, long receivedAt, Series[] series,
                              double[] values) {

    /** Number of samples. */
    public int size() {
        return series.length;
    }

    /** The {@code i}-th sample. */
    public Sample sample(final int i) {
        return new Sample(values[i], ts, receivedAt, seq);
    }
}
