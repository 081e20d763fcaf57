package io.cellwatch.extension.security;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which user each connected MQTT client logged in as, so that a reload can cut off the users whose rights changed
 * (their existing subscriptions would otherwise keep delivering). Thread-safe.
 */
final class ConnectedClients implements ClientLifecycleEventListener {

    private final ConcurrentMap<String, String> userByClient = new ConcurrentHashMap<>();

    /** Notes that {@code clientId} authenticated as {@code user}. */
    void authenticated(final String clientId, final String user) {
        userByClient.put(clientId, user);
    }

    /** The client ids currently logged in as one of {@code users}. */
    List<String> clientsOf(final Set<String> users) {
        return userByClient.entrySet().stream()
                .filter(entry -> users.contains(entry.getValue()))
                .map(ConcurrentMap.Entry::getKey)
                .toList();
    }

    @Override
    public void onMqttConnectionStart(final @NotNull ConnectionStartInput input) {
        // Nothing known yet: the user is noted once authentication succeeds.
    }

    @Override
    public void onAuthenticationSuccessful(final @NotNull AuthenticationSuccessfulInput input) {
        // Noted by the authenticator, which knows the user name it verified.
    }

    @Override
    public void onDisconnect(final @NotNull DisconnectEventInput input) {
        userByClient.remove(input.getClientInformation().getClientId());
    }
}
