package io.cellwatch.extension.fleet;

import io.cellwatch.contract.GatewayHealth;
import io.cellwatch.extension.ingest.GatewayKey;

/**
 * One gateway's state at a moment, and why it is in it. Immutable.
 *
 * @param key        tenant, user and client id
 * @param state      online, stale or offline
 * @param cause      what made it enter {@code state}
 * @param sinceMs    when it entered {@code state}, epoch milliseconds
 * @param lastSeenMs when it last connected or published, epoch milliseconds
 * @param health     what the gateway last reported of its own health on its current connection, or {@code null}
 *                   (none yet, an older gateway, or offline)
 */
public record GatewayStatus(GatewayKey key, GatewayState state, StateCause cause, long sinceMs, long lastSeenMs,
                            GatewayHealth health) {

    /** A state without a health report. */
    public GatewayStatus(final GatewayKey key, final GatewayState state, final StateCause cause, final long sinceMs,
                         final long lastSeenMs) {
        this(key, state, cause, sinceMs, lastSeenMs, null);
    }
}
