package io.cellwatch.extension.fleet;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import io.cellwatch.extension.ingest.GatewayKey;

/**
 * Feeds {@link FleetState} from the broker: a tracked client's connection is noted when it is initialised
 * ({@link #track}) and its end, with the reason, when the broker reports it. Untracked clients (operators, admins)
 * are ignored. Never blocks: each callback hands off to the fleet thread. Thread-safe.
 */
public final class FleetLifecycle implements ClientLifecycleEventListener {

    private static final String ATTRIBUTE = "cellwatch.fleet";

    private final FleetState fleet;

    public FleetLifecycle(final FleetState fleet) {
        this.fleet = fleet;
    }

    /** Notes that the gateway {@code key} connected; its connection keeps what its disconnect needs. */
    public void track(final GatewayKey key, final ConnectionAttributeStore attributes) {
        final long number = fleet.connected(key);
        attributes.putAsString(ATTRIBUTE, number + "\t" + key.tenant() + "\t" + key.user());
    }

    @Override
    public void onMqttConnectionStart(final @NotNull ConnectionStartInput input) {
        // Tracked once initialised, when its user and tenant are known.
    }

    @Override
    public void onAuthenticationSuccessful(final @NotNull AuthenticationSuccessfulInput input) {
        // Tracked once initialised.
    }

    @Override
    public void onConnectionLost(final @NotNull ConnectionLostInput input) {
        ended(input, StateCause.WILL);
    }

    @Override
    public void onClientInitiatedDisconnect(final @NotNull ClientInitiatedDisconnectInput input) {
        final boolean withWill = input.getReasonCode()
                .map(code -> code == DisconnectedReasonCode.DISCONNECT_WITH_WILL_MESSAGE).orElse(false);
        ended(input, withWill ? StateCause.WILL : StateCause.DISCONNECT);
    }

    @Override
    public void onServerInitiatedDisconnect(final @NotNull ServerInitiatedDisconnectInput input) {
        ended(input, StateCause.SERVER);
    }

    @Override
    public void onDisconnect(final @NotNull DisconnectEventInput input) {
        // Every other end (a refused login) was never tracked.
    }

    private void ended(final DisconnectEventInput input, final StateCause cause) {
        input.getConnectionInformation().getConnectionAttributeStore().getAsString(ATTRIBUTE).ifPresent(text -> {
            final String[] parts = text.split("\t", 3);
            final GatewayKey key = new GatewayKey(parts[1], parts[2], input.getClientInformation().getClientId());
            fleet.disconnected(key, Long.parseLong(parts[0]), cause);
        });
    }
}
