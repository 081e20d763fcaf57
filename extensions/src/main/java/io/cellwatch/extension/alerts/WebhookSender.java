package io.cellwatch.extension.alerts;

import io.cellwatch.contract.PayloadWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Posts each tenant's alert raises and clears to its webhook: JSON ({@link PayloadWriter#alertWebhook}) signed with
 * {@link WebhookSignature}. One event at a time per tenant, in order; a failed attempt (non-2xx, no connection,
 * timeout) is retried after 0.5 s, 1 s, 2 s … (at most 30 s apart), {@value #MAX_ATTEMPTS} attempts in all, then the
 * event is given up. Everything is counted ({@link AlertMetrics}, {@link #status}). Never blocks its caller: the
 * HTTP client is asynchronous and retries wait on the {@code cellwatch-webhooks} timer. Thread-safe.
 */
public final class WebhookSender implements AutoCloseable {

    static final int MAX_ATTEMPTS = 8;
    private static final int MAX_PENDING = 10_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    /** One tenant's queue and counts; guarded by itself. */
    private static final class Delivery {
        final String tenant;
        final Deque<String> queue = new ArrayDeque<>();
        boolean busy;
        long delivered;
        long failedAttempts;
        long givenUp;
        String lastError;
        long lastErrorAt;
        long lastDeliveredAt;

        Delivery(final String tenant) {
            this.tenant = tenant;
        }
    }

    private final HttpClient client;
    private final AlertMetrics metrics;
    private final Clock clock;
    private final long firstBackoffMillis;
    private final ScheduledExecutorService timer;
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private volatile Map<String, WebhookTarget> targets = Map.of();

    /** @param firstBackoffMillis the wait before the first retry; doubled for each next one */
    public WebhookSender(final AlertMetrics metrics, final Clock clock, final long firstBackoffMillis) {
        this.metrics = metrics;
        this.clock = clock;
        this.firstBackoffMillis = firstBackoffMillis;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "cellwatch-webhooks");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).executor(timer)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The webhook of each tenant that has one; from the rules file. */
    public void targets(final Map<String, WebhookTarget> byTenant) {
        targets = Map.copyOf(byTenant);
    }

    /** Queues the event of {@code alert} (raised or cleared) for its tenant's webhook, if it has one. */
    public void send(final Alert alert) {
        if (!targets.containsKey(alert.tenant())) {
            return;
        }
        final String body = PayloadWriter.alertWebhook(alert.message());
        final Delivery delivery = deliveries.computeIfAbsent(alert.tenant(), Delivery::new);
        synchronized (delivery) {
            if (delivery.queue.size() >= MAX_PENDING) {
                delivery.queue.pollFirst();
                delivery.givenUp++;
                metrics.webhookGivenUp();
            }
            delivery.queue.addLast(body);
            if (delivery.busy) {
                return;
            }
            delivery.busy = true;
        }
        timer.execute(() -> attempt(delivery, 1));
    }

    /** The state of {@code tenant}'s webhook, if it has one. */
    public Optional<WebhookStatus> status(final String tenant) {
        final WebhookTarget target = targets.get(tenant);
        if (target == null) {
            return Optional.empty();
        }
        final Delivery d = deliveries.computeIfAbsent(tenant, Delivery::new);
        synchronized (d) {
            return Optional.of(new WebhookStatus(tenant, target.url().toString(), d.queue.size(), d.delivered,
                    d.failedAttempts, d.givenUp, d.lastError, d.lastErrorAt, d.lastDeliveredAt));
        }
    }

    private void attempt(final Delivery delivery, final int attempt) {
        final String body;
        synchronized (delivery) {
            body = delivery.queue.peekFirst();
        }
        final WebhookTarget target = targets.get(delivery.tenant);
        if (body == null || target == null) {
            synchronized (delivery) {
                delivery.queue.clear();
                delivery.busy = false;
            }
            return;
        }
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final HttpRequest request;
        try {
            request = HttpRequest.newBuilder(target.url()).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header(WebhookSignature.HEADER, WebhookSignature.of(target.secret(), bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        } catch (final IllegalArgumentException e) {
            failed(delivery, attempt, "bad request: " + e.getMessage());
            return;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                delivered(delivery);
            } else {
                failed(delivery, attempt, error != null ? error.toString() : "HTTP " + response.statusCode());
            }
        });
    }

    private void delivered(final Delivery delivery) {
        metrics.webhookDelivered();
        synchronized (delivery) {
            delivery.queue.pollFirst();
            delivery.delivered++;
            delivery.lastDeliveredAt = clock.millis();
        }
        next(delivery);
    }

    private void failed(final Delivery delivery, final int attempt, final String why) {
        metrics.webhookFailedAttempt();
        final boolean giveUp = attempt >= MAX_ATTEMPTS;
        synchronized (delivery) {
            delivery.failedAttempts++;
            delivery.lastError = why;
            delivery.lastErrorAt = clock.millis();
            if (giveUp) {
                delivery.queue.pollFirst();
                delivery.givenUp++;
            }
        }
        if (giveUp) {
            metrics.webhookGivenUp();
            log.warn("alert webhook of tenant {} failed {} times, last: {}; event given up", delivery.tenant,
                    attempt, why);
            next(delivery);
            return;
        }
        log.debug("alert webhook of tenant {} failed (attempt {}): {}", delivery.tenant, attempt, why);
        final long wait = Math.min(MAX_BACKOFF_MILLIS, firstBackoffMillis << Math.min(attempt - 1, 20));
        timer.schedule(() -> attempt(delivery, attempt + 1), wait, TimeUnit.MILLISECONDS);
    }

    /** Moves on to the next queued event, or marks the tenant idle. */
    private void next(final Delivery delivery) {
        final boolean more;
        synchronized (delivery) {
            more = !delivery.queue.isEmpty();
            delivery.busy = more;
        }
        if (more) {
            timer.execute(() -> attempt(delivery, 1));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
