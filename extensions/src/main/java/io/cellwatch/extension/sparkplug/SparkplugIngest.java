package io.cellwatch.extension.sparkplug;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.fleet.FleetState;
import io.cellwatch.extension.ingest.ForeignIngest;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.PublishPermission;
import io.cellwatch.extension.ingest.TelemetryIngest;
import io.cellwatch.mapping.MappingRules;
import io.cellwatch.mapping.SparkplugGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sparkplug B publishes of groups the mapping rules name: on the broker thread only the topic is parsed, the group
 * looked up and the publisher's right to the group's node in its tenant checked; the payload is copied and decoded
 * on the one {@code cellwatch-sparkplug} thread, which keeps every edge node's state in order ({@link EdgeNodes}).
 * Sparkplug B sends data at QoS 0, so samples reach the WAL just after the broker has taken the publish rather than
 * before its acknowledgement. Commands (NCMD, DCMD), STATE and groups without a rule stay plain MQTT (a mapped group's
 * topics all belong to its tenant, which the publish check enforces before this is asked: ForeignOwnership).
 * Thread-safe; close is idempotent.
 */
public final class SparkplugIngest implements ForeignIngest, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SparkplugIngest.class);
    private static final int QUEUE = 100_000;

    private final Supplier<MappingRules> rules;
    private final EdgeNodes nodes;
    private final SparkplugMetrics metrics;
    private final ExecutorService thread;

    SparkplugIngest(final Supplier<MappingRules> rules, final EdgeNodes nodes, final SparkplugMetrics metrics) {
        this.rules = rules;
        this.nodes = nodes;
        this.metrics = metrics;
        // Bounded: a flood waits here, not in memory without end; beyond it messages are dropped and counted.
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
            final Thread t = new Thread(r, "cellwatch-sparkplug");
            t.setDaemon(true);
            return t;
        });
    }

    /** The Sparkplug B host of the extension: rules from {@code rules}, rebirths and states through the broker. */
    public static SparkplugIngest start(final Supplier<MappingRules> rules, final TelemetryIngest ingest,
                                        final FleetState fleet, final RebirthRequests rebirths,
                                        final SparkplugMetrics metrics, final Clock clock) {
        return new SparkplugIngest(rules, new EdgeNodes(ingest, fleet, rebirths, metrics, clock), metrics);
    }

    @Override
    public Outcome ingest(final GatewayKey gateway, final PublishPermission permission, final String topic,
                          final ByteBuffer payload) {
        final SparkplugTopic parsed = SparkplugTopic.parse(topic);
        final SparkplugGroup group = dataGroup(parsed);
        if (group == null) {
            return Outcome.PLAIN;
        }
        if (!permission.mayPublish(groupNode(group))) {
            return Outcome.NOT_AUTHORIZED;
        }
        final String tenant = group.tenant();
        final byte[] bytes = new byte[payload == null ? 0 : payload.remaining()];
        if (payload != null) {
            payload.duplicate().get(bytes);
        }
        final SparkplugMessage message = new SparkplugMessage(parsed, tenant, gateway, bytes);
        try {
            thread.execute(() -> {
                try {
                    nodes.handle(message);
                } catch (final RuntimeException e) {
                    log.error("Sparkplug B message on {} failed", topic, e);
                }
            });
        } catch (final RejectedExecutionException full) {
            metrics.dropped();
        }
        return Outcome.ACCEPTED;
    }

    @Override
    public Outcome authorize(final PublishPermission permission, final String topic, final ByteBuffer payload) {
        return authorizeClear(permission, topic);
    }

    @Override
    public Outcome authorizeClear(final PublishPermission permission, final String topic) {
        final SparkplugGroup group = dataGroup(SparkplugTopic.parse(topic));
        if (group == null) {
            return Outcome.PLAIN;
        }
        return permission.mayPublish(groupNode(group)) ? Outcome.ACCEPTED : Outcome.NOT_AUTHORIZED;
    }

    /**
     * The mapped group of an edge node's own message (birth, data, death), or {@code null}: commands, STATE and
     * unknown types are not taken, and their topic's owner (ForeignOwnership) is all that is checked for them.
     */
    private SparkplugGroup dataGroup(final SparkplugTopic parsed) {
        if (parsed == null || parsed.isCommand()) {
            return null;
        }
        return rules.get().sparkplugGroup(parsed.group()).orElse(null);
    }

    /** The group's node in its tenant: publishing into it is what an edge node of the group needs the right to. */
    private static String groupNode(final SparkplugGroup group) {
        return TopicBuilder.tenant(group.tenant()).child("groups", SparkplugNames.level(group.group())).node();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
