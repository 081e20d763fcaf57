package io.cellwatch.extension.feed;

import io.cellwatch.contract.GatewayHealth;
import io.cellwatch.contract.Rejection;
import io.cellwatch.extension.cluster.ClusterRecord;
import io.cellwatch.extension.cluster.ClusterRecordCodec;
import io.cellwatch.extension.cluster.ClusterTopics;
import io.cellwatch.extension.config.ClusterSettings;
import io.cellwatch.extension.fleet.FleetState;
import io.cellwatch.extension.ingest.RelayPosition;
import io.cellwatch.extension.ingest.RelayedIngest;
import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A serving node's feed: one thread consumes the samples topic ({@code read_committed}, so only what ingest nodes
 * committed) and applies each record as a local publish would be: through {@link RelayedIngest} into the WAL (with
 * its Kafka position), the live view, fleet state and alerts; a plant's retained {@code meta} into this node's
 * broker. Where to resume is this node's own: the positions
 * stored with the samples (WAL, then DuckDB in the same transaction as the rows), never the consumer group's
 * committed offsets, which are committed only for monitoring (lag per partition with Kafka's own tools).
 * <p>
 * Serving nodes form one consumer group; each is a static member ({@code group.instance.id} = {@code node.id}), so a
 * restart within the session timeout keeps its partitions, and with them its tenants.
 */
public final class KafkaFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ClusterSettings settings;
    private final RelayedIngest ingest;
    private final FleetState fleet;
    private final RetainedMetaRelay retainedMeta = new RetainedMetaRelay();
    private final Map<Integer, Long> next = new ConcurrentHashMap<>();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private final Counter records;
    private final Counter refused;
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopping;
    private volatile boolean connected;
    private volatile long lastAppliedReceivedAt;

    /** @param stored per partition, the offset after the last record already stored here (from recovery) */
    public KafkaFeed(final ClusterSettings settings, final Map<Integer, Long> stored, final RelayedIngest ingest,
                     final FleetState fleet, final Metrics metrics) {
        this.settings = settings;
        this.ingest = ingest;
        this.fleet = fleet;
        this.next.putAll(stored);
        this.records = metrics.counter("cellwatch_feed_records_total",
                "Kafka records applied by this serving node (publishes and gateway state changes)");
        this.refused = metrics.counter("cellwatch_feed_refused_total",
                "Kafka records this serving node could not apply (unreadable, or a series key its topic settings"
                        + " refuse); logged, counted and skipped");
        metrics.gauge("cellwatch_feed_connected", "1 while the feed holds a working Kafka consumer",
                () -> connected ? 1 : 0);
        metrics.gauge("cellwatch_feed_partitions", "Partitions of the samples topic this serving node consumes",
                () -> assigned.size());
        metrics.gauge("cellwatch_feed_age_seconds", "Seconds since the newest publish applied from Kafka was"
                + " accepted by its ingest node", () -> lastAppliedReceivedAt == 0 ? 0
                : Math.max(0, System.currentTimeMillis() - lastAppliedReceivedAt) / 1000.0);
        this.thread = new Thread(this::run, "cellwatch-kafka-feed");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether the feed thread runs. */
    public boolean alive() {
        return thread.isAlive() && !stopping;
    }

    /** Whether the feed holds a working consumer with its partitions. */
    public boolean connected() {
        return connected;
    }

    /** The partitions of the samples topic this node consumes now. */
    public Set<Integer> partitions() {
        return Set.copyOf(assigned);
    }

    private void run() {
        long backoff = 100;
        while (!stopping) {
            try {
                ClusterTopics.ensure(settings, 30_000);
                try (KafkaConsumer<byte[], byte[]> created = new KafkaConsumer<>(consumerProperties())) {
                    consumer = created;
                    created.subscribe(List.of(settings.samplesTopic()), new Rebalance(created));
                    backoff = 100;
                    while (!stopping) {
                        final ConsumerRecords<byte[], byte[]> polled = created.poll(POLL);
                        connected = true;
                        if (!polled.isEmpty()) {
                            apply(polled);
                            created.commitAsync(committed(), (offsets, failure) -> {
                                // Only for monitoring: where this node resumes is in its own storage.
                                if (failure != null) {
                                    log.debug("committing group offsets for monitoring failed: {}", failure.toString());
                                }
                            });
                        }
                    }
                } finally {
                    consumer = null;
                }
            } catch (final WakeupException e) {
                // close() woke the poll.
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (final RuntimeException | java.util.concurrent.ExecutionException
                           | java.util.concurrent.TimeoutException e) {
                // Kafka unreachable or timed out, or a state the client refuses to go on from: a fresh consumer,
                // resuming where this node's storage says.
                connected = false;
                log.warn("consuming from Kafka failed ({}); retrying in {} ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
        connected = false;
    }

    private Properties consumerProperties() {
        final Properties properties = settings.kafkaProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topicPrefix() + "serve");
        properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.nodeId());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    /** On assignment, every partition resumes where this node's storage says, not where the group committed. */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> owner;

        Rebalance(final KafkaConsumer<byte[], byte[]> owner) {
            this.owner = owner;
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            for (final TopicPartition partition : partitions) {
                final Long resume = next.get(partition.partition());
                if (resume == null) {
                    owner.seekToBeginning(List.of(partition));
                } else {
                    owner.seek(partition, resume);
                }
                assigned.add(partition.partition());
            }
            log.info("serving partitions {} of {}", assigned, settings.samplesTopic());
        }

        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> assigned.remove(partition.partition()));
        }
    }

    private void apply(final ConsumerRecords<byte[], byte[]> polled) {
        for (final ConsumerRecord<byte[], byte[]> record : polled) {
            final RelayPosition position = new RelayPosition(record.partition(), record.offset());
            try {
                final ClusterRecord decoded = ClusterRecordCodec.decode(record.value());
                if (decoded instanceof ClusterRecord.Publish p) {
                    ingest.ingest(p.gateway(), p.seq(), p.ts(), p.receivedAt(), p.seriesKeys(), p.values(), position);
                    lastAppliedReceivedAt = p.receivedAt();
                } else if (decoded instanceof ClusterRecord.GatewayState g) {
                    fleet.relayed(g.gateway(), g.state(), g.cause(), g.atMs());
                } else if (decoded instanceof ClusterRecord.GatewayHealthReport h) {
                    fleet.reported(h.gateway(), GatewayHealth.parse(ByteBuffer.wrap(h.report())));
                } else if (decoded instanceof ClusterRecord.RetainedMeta m) {
                    retainedMeta.relay(m.topic(), m.payload());
                }
                records.inc();
            } catch (final IllegalArgumentException | Rejection e) {
                refused.inc();
                log.warn("skipping Kafka record {}-{} at offset {}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
            next.put(record.partition(), record.offset() + 1);
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final Integer partition : assigned) {
            final Long offset = next.get(partition);
            if (offset != null) {
                offsets.put(new TopicPartition(settings.samplesTopic(), partition), new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    /** Stops consuming; what was applied is in the WAL with its position. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        final KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
