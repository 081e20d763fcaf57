package io.cellwatch.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.general.UserProperties;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.quota.RetainedLedger;
import io.cellwatch.extension.quota.TenantQuota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Feeds every inbound publish of one client that the client may make ({@link PublishPermission}: interceptors run
 * before HiveMQ's authorizers) to {@link TelemetryIngest} on the broker's extension thread. Never throws: a
 * malformed publish is kept from delivery with a reason code and a sanitised reason string (seen by MQTT 5 clients)
 * and counted; everyone else keeps being served. Accepted telemetry is delivered to MQTT subscribers as usual; an
 * empty retained publish that the publisher may make (the same rights as a publish there, the mapped tenant's node
 * included) is let through untouched, because that is how MQTT clears a retained message. Every other publish is
 * held to the quotas of its tenant: payload size on every topic kind, retained bytes and messages here, series in
 * {@link TelemetryIngest}; over a quota it is refused with QUOTA_EXCEEDED (size: PAYLOAD_FORMAT_INVALID, as the
 * parser's oversize). The synthetic
 * probe's publishes ({@link PublishPermission#isProbe}) take the same path but are kept from MQTT delivery.
 */
public final class TelemetryInterceptor implements PublishInboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(TelemetryInterceptor.class);

    private final TelemetryIngest ingest;
    private final PublishPermission permission;
    private final GatewayKey gateway;
    private final ForeignIngest foreign;
    private final TenantQuota quota;

    /** The interceptor of one client, whose publishes {@code permission} checks and {@code gateway} stamps. */
    public TelemetryInterceptor(final TelemetryIngest ingest, final PublishPermission permission,
                                final GatewayKey gateway) {
        this(ingest, permission, gateway, ForeignIngest.NONE);
    }

    /** As above, with publishes outside {@code tenants/} offered to {@code foreign} (mapping, Sparkplug B). */
    public TelemetryInterceptor(final TelemetryIngest ingest, final PublishPermission permission,
                                final GatewayKey gateway, final ForeignIngest foreign) {
        this.ingest = ingest;
        this.permission = permission;
        this.gateway = gateway;
        this.foreign = foreign;
        this.quota = ingest.quotaOf(gateway);
    }

    @Override
    public void onInboundPublish(final @NotNull PublishInboundInput input, final @NotNull PublishInboundOutput output) {
        final PublishPacket packet = input.getPublishPacket();
        // Undone if the publish is refused after its retained message was counted: the broker keeps the old one.
        RetainedLedger.Charge retained = RetainedLedger.Charge.NONE;
        try {
            // A retained publish (or clear) is asked as such: another tenant's foreign topic never takes one.
            if (packet.getRetain() ? !permission.mayRetain(packet.getTopic())
                    : !permission.mayPublish(packet.getTopic())) {
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish to this topic");
                return;
            }
            final boolean probe = permission.isProbe();
            if (!probe && TopicResolver.isBrokerOwned(packet.getTopic())) {
                // The broker's word on a gateway's state or an alert; a client (even the gateway itself) must not
                // fake it.
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "topic is written by the broker only");
                return;
            }
            final Optional<ByteBuffer> payload = packet.getPayload();
            final String healthOf = TopicResolver.gatewayHealthClientId(packet.getTopic());
            if (healthOf != null && !healthOf.equals(gateway.clientId()) && !(gateway.tenant().isEmpty()
                    && packet.getRetain() && (payload.isEmpty() || !payload.get().hasRemaining()))) {
                // A gateway speaks for its own health only; a global admin may clear a retired gateway's report.
                ingest.foreignHealthReport();
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED,
                        "a gateway reports health under its own client id only");
                return;
            }
            final boolean foreignTopic = !packet.getTopic().startsWith(TopicResolver.ROOT + "/");
            if (packet.getRetain() && (payload.isEmpty() || !payload.get().hasRemaining())) {
                // A clear needs the same rights as the publish it undoes, the mapped tenant's node included.
                if (foreignTopic && foreign.authorizeClear(permission, packet.getTopic())
                        == ForeignIngest.Outcome.NOT_AUTHORIZED) {
                    output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED,
                            "not authorized to publish into the tenant this topic is mapped to");
                    return;
                }
                ingest.retainedCleared(packet.getTopic());
                return;
            }
            if (!probe) {
                final int size = payload.isPresent() ? payload.get().remaining() : 0;
                ingest.checkPayload(quota, size);
                if (packet.getRetain()) {
                    retained = ingest.chargeRetained(quota, packet.getTopic(), size);
                }
            }
            if (foreignTopic) {
                final ForeignIngest.Outcome outcome = foreign.ingest(gateway, permission, packet.getTopic(),
                        payload.orElse(null));
                if (outcome == ForeignIngest.Outcome.NOT_AUTHORIZED) {
                    retained.undo();
                    output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED,
                            "not authorized to publish into the tenant this topic is mapped to");
                    return;
                }
                if (outcome == ForeignIngest.Outcome.ACCEPTED) {
                    return;
                }
            }
            // Most gateways send ts and seq in the payload: skip the property lookups (a stream each) then.
            final UserProperties properties = packet.getUserProperties();
            final boolean none = properties.isEmpty();
            ingest.ingest(gateway, packet.getTopic(), payload.orElse(null),
                    none ? null : properties.getFirst("ts").orElse(null),
                    none ? null : properties.getFirst("seq").orElse(null));
            if (packet.getRetain()) {
                ingest.retainedAccepted(packet.getTopic(), payload.orElse(null));
            }
            if (probe) {
                // Stored and fanned out like any sample; no MQTT subscriber (not even a global admin on '#') gets it.
                output.preventPublishDelivery();
            }
        } catch (final Rejection rejection) {
            retained.undo();
            final RejectReason reason = rejection.reason();
            output.preventPublishDelivery(reason == RejectReason.QUOTA_EXCEEDED ? AckReasonCode.QUOTA_EXCEEDED
                            : reason.topicProblem() ? AckReasonCode.TOPIC_NAME_INVALID
                            : AckReasonCode.PAYLOAD_FORMAT_INVALID,
                    ReasonString.of(rejection.getMessage()));
        } catch (final RuntimeException defect) {
            retained.undo();
            ingest.internalError();
            try (MDC.MDCCloseable t = MDC.putCloseable("tenant", gateway.tenant());
                 MDC.MDCCloseable c = MDC.putCloseable("client_id", gateway.clientId())) {
                log.error("cellwatch could not ingest a publish to '{}'", ReasonString.of(packet.getTopic()), defect);
            }
            output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "internal error");
        }
    }
}
