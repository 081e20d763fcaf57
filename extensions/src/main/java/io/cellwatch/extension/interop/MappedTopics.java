package io.cellwatch.extension.interop;

import io.cellwatch.contract.Rejection;
import io.cellwatch.extension.ingest.ForeignIngest;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.PublishPermission;
import io.cellwatch.extension.ingest.TelemetryIngest;
import io.cellwatch.mapping.MappedSample;
import io.cellwatch.mapping.TopicMapper;
import io.cellwatch.mapping.TopicRule;

import java.nio.ByteBuffer;

/**
 * Foreign topics a mapping rule matches: mapped by the rules in force, checked against the publisher's right to
 * the mapped node (its right to the original topic, and the topic's owner, were checked before), then ingested as a
 * native node publish. Wills and retained clears are checked against the same node without being taken.
 * In-memory work on the publish path; thread-safe.
 */
public final class MappedTopics implements ForeignIngest {

    private final TopicMapper mapper;
    private final TelemetryIngest ingest;
    private final InteropMetrics metrics;

    public MappedTopics(final TopicMapper mapper, final TelemetryIngest ingest, final InteropMetrics metrics) {
        this.mapper = mapper;
        this.ingest = ingest;
        this.metrics = metrics;
    }

    @Override
    public Outcome ingest(final GatewayKey gateway, final PublishPermission permission, final String topic,
                          final ByteBuffer payload) throws Rejection {
        final TopicRule rule = mapper.ruleFor(topic);
        if (rule == null) {
            return Outcome.PLAIN;
        }
        final MappedSample sample;
        try {
            sample = mapper.map(rule, topic, payload);
        } catch (final Rejection rejection) {
            metrics.rejected();
            throw rejection;
        }
        if (!permission.mayPublish(sample.nodeTopic())) {
            metrics.notAuthorized();
            return Outcome.NOT_AUTHORIZED;
        }
        if (!sample.deviceTime()) {
            metrics.tsReplaced();
        }
        ingest.ingestNode(gateway, sample.nodeTopic(), sample.names().toArray(new String[0]), sample.values(),
                sample.ts());
        metrics.mapped();
        return Outcome.ACCEPTED;
    }

    @Override
    public Outcome authorize(final PublishPermission permission, final String topic, final ByteBuffer payload)
            throws Rejection {
        final TopicRule rule = mapper.ruleFor(topic);
        if (rule == null) {
            return Outcome.PLAIN;
        }
        return permitted(permission, mapper.map(rule, topic, payload).nodeTopic());
    }

    @Override
    public Outcome authorizeClear(final PublishPermission permission, final String topic) throws Rejection {
        final TopicRule rule = mapper.ruleFor(topic);
        if (rule == null) {
            return Outcome.PLAIN;
        }
        final String node = mapper.nodeFromTopic(rule, topic);
        // No node when the payload names the tenant: such a topic is shared, and ForeignOwnership already kept every
        // tenant member from clearing it; a global admin may.
        return node == null ? Outcome.PLAIN : permitted(permission, node);
    }

    private Outcome permitted(final PublishPermission permission, final String node) {
        if (permission.mayPublish(node)) {
            return Outcome.ACCEPTED;
        }
        metrics.notAuthorized();
        return Outcome.NOT_AUTHORIZED;
    }
}
