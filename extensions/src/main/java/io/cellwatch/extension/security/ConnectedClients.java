package io.cellwatch.extension.security;

import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import java.util.HashMap;
import java.util.Map;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which user each connected MQTT client logged in as, so that a reload can cut off the users whose rights changed
 * (their existing subscriptions would otherwise keep delivering), and which connection of a client id closed, so
 * that a session ending with it frees the id ({@link ClientIdGuard}). A refused CONNECT under someone's client id
 * and a stale connection the owner took over change nothing. Thread-safe.
 */
final class ConnectedClients implements ClientLifecycleEventListener {

    /** One admitted connection: its user ({@code ""} anonymous), number, and whether its session ends with it. */
    record Connection(String user, long number, boolean sessionEnds) {
    }

    private static final String CONNECTION_ATTRIBUTE = "cellwatch.connection";

    private final ConcurrentMap<String, Connection> byClient = new ConcurrentHashMap<>();
    private final ClientIdGuard clientIds;

    ConnectedClients(final ClientIdGuard clientIds) {
        this.clientIds = clientIds;
    }

    /** Keeps {@code connection} with the connection it describes, for {@link #onDisconnect}. */
    static void store(final ConnectionAttributeStore attributes, final Connection connection) {
        attributes.putAsString(CONNECTION_ATTRIBUTE,
                connection.number() + " " + connection.sessionEnds() + " " + connection.user());
    }

    private static Optional<Connection> read(final ConnectionAttributeStore attributes) {
        return attributes.getAsString(CONNECTION_ATTRIBUTE).map(text -> {
            final String[] parts = text.split(" ", 3);
            return new Connection(parts[2], Long.parseLong(parts[0]), Boolean.parseBoolean(parts[1]));
        });
    }

    /** Notes that {@code clientId} was admitted as {@code connection}. */
    void authenticated(final String clientId, final Connection connection) {
        byClient.put(clientId, connection);
    }

    /** Connected clients per tenant of the user they logged in as; global users and anonymous under {@code ""}. */
    Map<String, Integer> perTenant(final AccessPolicy policy) {
        final Map<String, Integer> counts = new HashMap<>();
        for (final Connection connection : byClient.values()) {
            final String tenant = policy.principal(connection.user()).flatMap(Principal::tenant).orElse("");
            counts.merge(tenant, 1, Integer::sum);
        }
        return counts;
    }

    /** The client ids currently logged in as one of {@code users}. */
    List<String> clientsOf(final Set<String> users) {
        return byClient.entrySet().stream()
                .filter(entry -> users.contains(entry.getValue().user()))
                .map(ConcurrentMap.Entry::getKey)
                .toList();
    }

    @Override
    public void onMqttConnectionStart(final @NotNull ConnectionStartInput input) {
        // Nothing known yet: the connection is noted once the authenticator admits it.
    }

    @Override
    public void onAuthenticationSuccessful(final @NotNull AuthenticationSuccessfulInput input) {
        // Noted by the authenticator, which knows the user name it verified.
    }

    @Override
    public void onDisconnect(final @NotNull DisconnectEventInput input) {
        final String clientId = input.getClientInformation().getClientId();
        read(input.getConnectionInformation().getConnectionAttributeStore()).ifPresent(closed -> {
            byClient.remove(clientId, closed);
            clientIds.disconnected(clientId, closed.user(), closed.number(), closed.sessionEnds());
        });
    }
}
