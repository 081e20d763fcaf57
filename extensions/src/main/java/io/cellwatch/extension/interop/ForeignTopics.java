package io.cellwatch.extension.interop;

import io.cellwatch.contract.Rejection;
import io.cellwatch.extension.ingest.ForeignIngest;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.PublishPermission;
import io.cellwatch.mapping.SparkplugTopics;

import java.nio.ByteBuffer;

/** Routes a foreign publish: {@code spBv1.0/…} to Sparkplug B, everything else to the mapping rules. Thread-safe. */
public final class ForeignTopics implements ForeignIngest {

    private static final String SPARKPLUG_PREFIX = SparkplugTopics.NAMESPACE + "/";

    private final ForeignIngest mapped;
    private final ForeignIngest sparkplug;

    public ForeignTopics(final ForeignIngest mapped, final ForeignIngest sparkplug) {
        this.mapped = mapped;
        this.sparkplug = sparkplug;
    }

    @Override
    public Outcome ingest(final GatewayKey gateway, final PublishPermission permission, final String topic,
                          final ByteBuffer payload) throws Rejection {
        return topic.startsWith(SPARKPLUG_PREFIX) ? sparkplug.ingest(gateway, permission, topic, payload)
                : mapped.ingest(gateway, permission, topic, payload);
    }

    @Override
    public Outcome authorize(final PublishPermission permission, final String topic, final ByteBuffer payload)
            throws Rejection {
        return topic.startsWith(SPARKPLUG_PREFIX) ? sparkplug.authorize(permission, topic, payload)
                : mapped.authorize(permission, topic, payload);
    }

    @Override
    public Outcome authorizeClear(final PublishPermission permission, final String topic) throws Rejection {
        return topic.startsWith(SPARKPLUG_PREFIX) ? sparkplug.authorizeClear(permission, topic)
                : mapped.authorizeClear(permission, topic);
    }
}
