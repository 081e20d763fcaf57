package io.cellwatch.extension.alerts;

/**
 * How a tenant's webhook is doing, for the API (never the secret).
 *
 * @param tenant          whose webhook
 * @param url             where it posts
 * @param pending         events waiting (the one being tried included)
 * @param delivered       events the receiver answered 2xx
 * @param failedAttempts  attempts that failed (error status, refused connection, timeout)
 * @param givenUp         events dropped after the last attempt failed
 * @param lastError       what the last failed attempt got, or {@code null}
 * @param lastErrorAt     when, epoch ms, or 0
 * @param lastDeliveredAt when the last event was delivered, epoch ms, or 0
 */
public record WebhookStatus(String tenant, String url, int pending, long delivered, long failedAttempts, long givenUp,
                            String lastError, long lastErrorAt, long lastDeliveredAt) {
}
