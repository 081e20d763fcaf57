package io.cellwatch.extension.sparkplug;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.interceptor.connect.ConnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.PublishPermission;
import io.cellwatch.mapping.SparkplugTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Sparkplug B death certificates sent as MQTT wills. HiveMQ publishes a will without passing it through the publish
 * interceptors, so the NDEATH an edge node registers at CONNECT is kept in its connection's attributes and, when the
 * connection ends in a way that sends the will (lost, DISCONNECT with will, closed by the broker), handed to
 * {@link SparkplugIngest} as if the node had published it: same tenant check, same {@code bdSeq} rule. Never blocks.
 * Thread-safe.
 */
public final class SparkplugWills implements ConnectInboundInterceptor, ClientLifecycleEventListener {

    private static final Logger log = LoggerFactory.getLogger(SparkplugWills.class);
    private static final String TOPIC = "cellwatch.sparkplug.will-topic";
    private static final String PAYLOAD = "cellwatch.sparkplug.will-payload";

    /** Who a connection publishes as, for the will's checks and its samples' gateway. */
    public interface Publisher {
        PublishPermission permission(ConnectionInformation connection, String clientId);

        GatewayKey gateway(ConnectionInformation connection, String clientId);
    }

    private volatile SparkplugIngest sparkplug;
    private volatile Publisher publisher;

    /** Starts handing wills over; until then (extension start-up) a will is noted but not acted on. */
    public void start(final SparkplugIngest ingest, final Publisher who) {
        this.publisher = who;
        this.sparkplug = ingest;
    }

    @Override
    public void onConnect(final @NotNull ConnectInboundInput input, final @NotNull ConnectInboundOutput output) {
        try {
            final Optional<WillPublishPacket> will = input.getConnectPacket().getWillPublish();
            if (will.isPresent() && isDeath(will.get().getTopic())) {
                final ConnectionAttributeStore attributes = input.getConnectionInformation()
                        .getConnectionAttributeStore();
                attributes.putAsString(TOPIC, will.get().getTopic());
                attributes.put(PAYLOAD, copy(will.get().getPayload().orElse(ByteBuffer.allocate(0))));
            }
        } catch (final RuntimeException e) {
            log.error("could not note the Sparkplug B will of client '{}'", input.getClientInformation().getClientId(),
                    e);
        }
    }

    @Override
    public void onMqttConnectionStart(final @NotNull ConnectionStartInput input) {
        // Wills are noted at CONNECT.
    }

    @Override
    public void onAuthenticationSuccessful(final @NotNull AuthenticationSuccessfulInput input) {
        // Wills are noted at CONNECT.
    }

    @Override
    public void onConnectionLost(final @NotNull ConnectionLostInput input) {
        willSent(input);
    }

    @Override
    public void onClientInitiatedDisconnect(final @NotNull ClientInitiatedDisconnectInput input) {
        if (input.getReasonCode().map(code -> code == DisconnectedReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                .orElse(false)) {
            willSent(input);
        }
    }

    @Override
    public void onServerInitiatedDisconnect(final @NotNull ServerInitiatedDisconnectInput input) {
        willSent(input);
    }

    @Override
    public void onDisconnect(final @NotNull DisconnectEventInput input) {
        // A refused login: its will is never sent.
    }

    private void willSent(final DisconnectEventInput input) {
        final SparkplugIngest ingest = sparkplug;
        final Publisher who = publisher;
        final ConnectionInformation connection = input.getConnectionInformation();
        final Optional<String> topic = connection.getConnectionAttributeStore().getAsString(TOPIC);
        if (ingest == null || topic.isEmpty()) {
            return;
        }
        final String clientId = input.getClientInformation().getClientId();
        try {
            final ByteBuffer payload = connection.getConnectionAttributeStore().get(PAYLOAD)
                    .orElse(ByteBuffer.allocate(0));
            ingest.ingest(who.gateway(connection, clientId), who.permission(connection, clientId), topic.get(),
                    payload);
        } catch (final RuntimeException e) {
            log.error("could not take the Sparkplug B will of client '{}'", clientId, e);
        }
    }

    private static boolean isDeath(final String topic) {
        final SparkplugTopic parsed = topic.startsWith(SparkplugTopics.NAMESPACE + "/")
                ? SparkplugTopic.parse(topic) : null;
        return parsed != null && parsed.type().equals("NDEATH");
    }

    private static ByteBuffer copy(final ByteBuffer payload) {
        final ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload.duplicate()).flip();
        return copy;
    }
}
