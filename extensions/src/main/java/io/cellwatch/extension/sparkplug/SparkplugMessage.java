package io.cellwatch.extension.sparkplug;

import io.cellwatch.extension.ingest.GatewayKey;

/**
 * One Sparkplug B publish handed from the broker thread to the Sparkplug thread.
 *
 * @param topic     the parsed topic
 * @param tenant    the tenant its group maps to
 * @param publisher who published it (the samples' gateway)
 * @param payload   the protobuf payload, copied off the broker's buffer
 */
record SparkplugMessage(SparkplugTopic topic, String tenant, GatewayKey publisher, byte[] payload) {
}
