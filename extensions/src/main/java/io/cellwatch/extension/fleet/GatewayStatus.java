package io.cellwatch.extension.fleet;

import io.cellwatch.extension.ingest.GatewayKey;

/**
 * One gateway's state at a moment, and why it is in it. Immutable.
 *
 * @param key        tenant, user and client id
 * @param state      online, stale or offline
 * @param cause      what made it enter {@code state}
 * @param sinceMs    when it entered {@code state}, epoch milliseconds
 * @param lastSeenMs when it last connected or published, epoch milliseconds
 */
public record GatewayStatus(GatewayKey key, GatewayState state, StateCause cause, long sinceMs, long lastSeenMs) {
}
