package io.cellwatch.extension.series;

/**
 * One accepted value of one series.
 *
 * @param value      the metric's value, always finite
 * @param ts         device time in epoch milliseconds (server time if the device's was missing or implausible)
 * @param receivedAt server time in epoch milliseconds when the publish was accepted
 * @param seq        the gateway's sequence number, or -1 if it sent none
 */
public record Sample(double value, long ts, long receivedAt, long seq) {
}
