package io.cellwatch.extension.events;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;

import java.util.List;

/**
 * Several client lifecycle listeners behind the one provider HiveMQ allows per extension: each event goes to every
 * listener in order, so each still gets its specific callback (or its own default routing to
 * {@code onDisconnect}). Immutable, thread-safe if its listeners are.
 */
public final class ClientLifecycleListeners implements ClientLifecycleEventListener {

    private final List<ClientLifecycleEventListener> listeners;

    public ClientLifecycleListeners(final List<ClientLifecycleEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onMqttConnectionStart(final @NotNull ConnectionStartInput input) {
        listeners.forEach(l -> l.onMqttConnectionStart(input));
    }

    @Override
    public void onAuthenticationSuccessful(final @NotNull AuthenticationSuccessfulInput input) {
        listeners.forEach(l -> l.onAuthenticationSuccessful(input));
    }

    @Override
    public void onAuthenticationFailedDisconnect(final @NotNull AuthenticationFailedInput input) {
        listeners.forEach(l -> l.onAuthenticationFailedDisconnect(input));
    }

    @Override
    public void onConnectionLost(final @NotNull ConnectionLostInput input) {
        listeners.forEach(l -> l.onConnectionLost(input));
    }

    @Override
    public void onClientInitiatedDisconnect(final @NotNull ClientInitiatedDisconnectInput input) {
        listeners.forEach(l -> l.onClientInitiatedDisconnect(input));
    }

    @Override
    public void onServerInitiatedDisconnect(final @NotNull ServerInitiatedDisconnectInput input) {
        listeners.forEach(l -> l.onServerInitiatedDisconnect(input));
    }

    @Override
    public void onDisconnect(final @NotNull DisconnectEventInput input) {
        listeners.forEach(l -> l.onDisconnect(input));
    }
}
