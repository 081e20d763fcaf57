package io.cellwatch.extension.fleet;

import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Publishes each change of a tenant's gateway as the retained message of
 * {@code tenants/{tenant}/gateways/{clientId}/status}, so a client subscribing later gets the current state (and
 * the gateway's own health report, as {@code health}, when it sent one on its current connection). The
 * broker's publish service is asynchronous: nothing here waits. Gateways of no tenant (global admins, anonymous
 * clients) and client ids that cannot be a topic level have no status topic. Thread-safe.
 */
public final class StatusTopic implements Consumer<GatewayStatus> {

    private static final Logger log = LoggerFactory.getLogger(StatusTopic.class);

    @Override
    public void accept(final @NotNull GatewayStatus status) {
        if (status.key().tenant().isEmpty()) {
            return;
        }
        final String topic;
        try {
            topic = TopicBuilder.gatewayStatus(status.key().tenant(), status.key().clientId());
        } catch (final IllegalArgumentException e) {
            log.debug("gateway {} has no status topic: {}", status.key(), e.getMessage());
            return;
        }
        final String payload = PayloadWriter.gatewayStatus(status.key().clientId(), status.key().user(),
                status.state().word(), status.cause().word(), status.sinceMs(), status.lastSeenMs(),
                status.health() == null ? null : PayloadWriter.gatewayHealth(status.health()));
        final Publish publish = Builders.publish().topic(topic).qos(Qos.AT_LEAST_ONCE).retain(true)
                .payload(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))).build();
        Services.publishService().publish(publish).whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn("publishing the state of gateway {} failed: {}", status.key(), failure.toString());
            }
        });
    }
}
