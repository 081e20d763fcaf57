package io.cellwatch.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.cellwatch.contract.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every inbound publish of one client that the client may make ({@link PublishPermission}: interceptors run
 * before HiveMQ's authorizers) to {@link TelemetryIngest} on the broker's extension thread. Never throws: a
 * malformed publish is kept from delivery with a reason code (seen by MQTT 5 clients) and counted; everyone else
 * keeps being served. Accepted telemetry is delivered to MQTT subscribers as usual.
 */
public final class TelemetryInterceptor implements PublishInboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(TelemetryInterceptor.class);

    private final TelemetryIngest ingest;
    private final PublishPermission permission;

    /** The interceptor of one client, whose publishes {@code permission} checks. */
    public TelemetryInterceptor(final TelemetryIngest ingest, final PublishPermission permission) {
        this.ingest = ingest;
        this.permission = permission;
    }

    @Override
    public void onInboundPublish(final @NotNull PublishInboundInput input, final @NotNull PublishInboundOutput output) {
        final PublishPacket packet = input.getPublishPacket();
        final String clientId = input.getClientInformation().getClientId();
        try {
            if (!permission.mayPublish(packet.getTopic())) {
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish to this topic");
                return;
            }
            ingest.ingest(clientId, packet.getTopic(),
                    packet.getPayload().orElse(null),
                    packet.getUserProperties().getFirst("ts").orElse(null),
                    packet.getUserProperties().getFirst("seq").orElse(null));
        } catch (final Rejection rejection) {
            output.preventPublishDelivery(rejection.reason().topicProblem()
                    ? AckReasonCode.TOPIC_NAME_INVALID : AckReasonCode.PAYLOAD_FORMAT_INVALID, rejection.getMessage());
        } catch (final RuntimeException defect) {
            ingest.internalError();
            log.error("cellwatch could not ingest a publish to '{}'", packet.getTopic(), defect);
            output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "internal error");
        }
    }
}
