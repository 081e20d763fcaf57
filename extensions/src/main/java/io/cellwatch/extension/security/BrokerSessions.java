package io.cellwatch.extension.security;

import com.hivemq.extension.sdk.api.services.Services;

import java.util.concurrent.CompletableFuture;

/** What the broker holds of a client id's session; asynchronous, never blocks the caller. */
interface BrokerSessions {

    /** True if the broker holds a session for {@code clientId}, connected or not. */
    CompletableFuture<Boolean> exists(String clientId);

    /** Ends the session of {@code clientId} (disconnecting it if connected) so nobody can resume it. */
    CompletableFuture<Void> invalidate(String clientId);

    /** The running HiveMQ's sessions. */
    static BrokerSessions hivemq() {
        return new BrokerSessions() {
            @Override
            public CompletableFuture<Boolean> exists(final String clientId) {
                return Services.clientService().getSession(clientId).thenApply(session -> session.isPresent());
            }

            @Override
            public CompletableFuture<Void> invalidate(final String clientId) {
                return Services.clientService().invalidateSession(clientId).thenApply(found -> null);
            }
        };
    }
}
