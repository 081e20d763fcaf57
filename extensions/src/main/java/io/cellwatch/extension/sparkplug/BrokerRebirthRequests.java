package io.cellwatch.extension.sparkplug;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/** Publishes rebirth requests through the broker's publish service (asynchronous; nothing waits). Thread-safe. */
public final class BrokerRebirthRequests implements RebirthRequests {

    private static final Logger log = LoggerFactory.getLogger(BrokerRebirthRequests.class);

    @Override
    public void request(final String topic, final byte[] payload) {
        // QoS 0, not retained: the Sparkplug B rule for NCMD.
        final Publish publish = Builders.publish().topic(topic).qos(Qos.AT_MOST_ONCE)
                .payload(ByteBuffer.wrap(payload)).build();
        Services.publishService().publish(publish).whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn("rebirth request to {} failed: {}", topic, failure.toString());
            }
        });
    }
}
