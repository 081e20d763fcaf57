package io.cellwatch.extension.alerts;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Publishes each change of an alert as the retained message of {@code tenants/{tenant}/alerts/{id}}
 * ({@link TopicBuilder#alert}), so a client subscribing later gets every alert's current state. Only the broker
 * writes there. The publish service is asynchronous: nothing here waits. Thread-safe.
 */
public final class AlertTopic implements Consumer<Alert> {

    private static final Logger log = LoggerFactory.getLogger(AlertTopic.class);

    @Override
    public void accept(final Alert alert) {
        final String topic = TopicBuilder.alert(alert.tenant(), alert.id());
        final byte[] payload = PayloadWriter.alert(alert.message()).getBytes(StandardCharsets.UTF_8);
        final Publish publish = Builders.publish().topic(topic).qos(Qos.AT_LEAST_ONCE).retain(true)
                .payload(ByteBuffer.wrap(payload)).build();
        Services.publishService().publish(publish).whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn("publishing alert {} of tenant {} failed: {}", alert.id(), alert.tenant(), failure.toString());
            }
        });
    }
}
