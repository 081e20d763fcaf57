package io.cellwatch.extension.export;

import io.cellwatch.extension.config.ClusterSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * How far an ingest node's WAL is in Kafka: the WAL index of the last record of its last committed export
 * transaction, stored in that same transaction in the compacted export-positions topic under the node's id. Read
 * with {@code read_committed}, so an aborted or unfinished transaction's position is never seen.
 */
final class ExportPositions {

    private ExportPositions() {
    }

    /** The node's key in the positions topic. */
    static byte[] key(final String nodeId) {
        return nodeId.getBytes(StandardCharsets.UTF_8);
    }

    /** A position as the value of the positions topic. */
    static byte[] value(final long walIndex) {
        return ByteBuffer.allocate(Long.BYTES).putLong(walIndex).array();
    }

    /**
     * The last committed position of {@code nodeId}, or -1 if it never exported; reads the whole (compacted) topic up
     * to its last stable offset.
     */
    static long read(final ClusterSettings settings, final Duration timeout) {
        final Properties properties = settings.kafkaProperties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        final byte[] ours = key(settings.nodeId());
        final long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            final TopicPartition partition = new TopicPartition(settings.positionsTopic(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long position = -1;
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("reading "
                            + settings.positionsTopic() + " took longer than " + timeout);
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(record.key(), ours) && record.value() != null) {
                        position = ByteBuffer.wrap(record.value()).getLong();
                    }
                }
            }
            return position;
        }
    }
}
