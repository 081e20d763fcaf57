package io.cellwatch.extension.feed;

import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * Sets (or clears) on this serving node's broker the retained {@code meta} message an ingest node accepted, so the
 * plants map and MQTT subscribers here see what they would see on a single node. Last write wins, so a record applied
 * twice after a restart changes nothing. The broker's publish service is asynchronous: nothing here waits.
 */
final class RetainedMetaRelay {

    private static final Logger log = LoggerFactory.getLogger(RetainedMetaRelay.class);

    void relay(final String topic, final byte[] payload) {
        final Publish publish = Builders.publish().topic(topic).qos(Qos.AT_LEAST_ONCE).retain(true)
                .payload(ByteBuffer.wrap(payload)).build();
        Services.publishService().publish(publish).whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn("setting the retained message of {} failed: {}", topic, failure.toString());
            }
        });
    }
}
