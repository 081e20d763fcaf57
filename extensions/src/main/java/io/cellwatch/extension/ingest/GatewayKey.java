package io.cellwatch.extension.ingest;

import java.util.Objects;

/**
 * Who a gateway is for the retry guard: the tenant and user it logged in as and its MQTT client id. Another user
 * naming the same client id is another gateway, so it can never move this one's highest accepted {@code seq}.
 * Immutable.
 *
 * @param tenant   the user's tenant, {@code ""} for a global admin, an anonymous client or access control off
 * @param user     the authenticated user, {@code ""} for an anonymous client or access control off
 * @param clientId the MQTT client id
 */
public record GatewayKey(String tenant, String user, String clientId) {

    public GatewayKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(clientId, "clientId");
    }

    /** A client that did not log in (access control off, or an anonymous client). */
    public static GatewayKey anonymous(final String clientId) {
        return new GatewayKey("", "", clientId);
    }
}
