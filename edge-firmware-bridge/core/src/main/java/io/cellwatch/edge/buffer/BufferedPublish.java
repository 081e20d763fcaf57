package io.cellwatch.edge.buffer;

/**
 * One record of the disk buffer: a node payload ready to publish.
 *
 * @param index   the record's queue index, the send position's unit
 * @param seq     the payload's {@code seq}
 * @param topic   the node topic
 * @param payload the node payload JSON, with {@code ts} and {@code seq}
 */
public record BufferedPublish(long index, long seq, String topic, String payload) {
}
