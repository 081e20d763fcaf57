package io.cellwatch.extension.quota;

import io.cellwatch.acl.rules.TenantLimit;
import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one tenant holds against its quotas (series, retained messages) and the checks a publish passes before it may
 * add to them. Lock-free: every check is a few atomic operations, fit for the broker's publish threads. Limits change
 * on an ACL reload ({@link #limits(TenantLimits)}) and apply to the next publish; nothing already held is taken away.
 * Thread-safe.
 */
public final class TenantQuota {

    private static final Logger log = LoggerFactory.getLogger(TenantQuota.class);
    private static final long MINUTE_MICROS = 60_000_000L;
    private static final long LOG_EVERY_MILLIS = 60_000L;

    private final String tenant;
    private final Clock clock;
    private final QuotaMetrics metrics;
    private volatile TenantLimits limits;
    private volatile String label;
    private final AtomicLong series = new AtomicLong();
    // Series reserved by publishes between their check and the creation of their series: counted as held, so two
    // publishes at once cannot both fit into the last room.
    private final AtomicLong pendingSeries = new AtomicLong();
    // The new-series rate as a generic cell rate algorithm: the time (µs) at which the bucket is full again. One
    // atomic value, no timer, and a full minute's worth may come at once.
    private final AtomicLong fullAtMicros = new AtomicLong();
    private final AtomicLong retainedBytes = new AtomicLong();
    private final AtomicLong retainedMessages = new AtomicLong();
    private final AtomicLongArray nextLogMillis = new AtomicLongArray(TenantLimit.values().length);

    TenantQuota(final String tenant, final TenantLimits limits, final String label, final Clock clock,
                final QuotaMetrics metrics) {
        this.tenant = tenant;
        this.limits = limits;
        this.label = label;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The tenant id; {@code ""} for clients without tenant (global admins, anonymous clients). */
    public String tenant() {
        return tenant;
    }

    /** The limits in force. */
    public TenantLimits limits() {
        return limits;
    }

    void limits(final TenantLimits applied) {
        limits = applied;
    }

    void label(final String applied) {
        label = applied;
    }

    /** Series the tenant has. */
    public long series() {
        return series.get();
    }

    /** Bytes of retained messages (topic and payload) the tenant keeps on the broker. */
    public long retainedBytes() {
        return retainedBytes.get();
    }

    /** Retained messages the tenant keeps on the broker. */
    public long retainedMessages() {
        return retainedMessages.get();
    }

    /** Refuses a payload of {@code bytes} over the tenant's payload size limit (reason oversize, as the parser's). */
    public void checkPayload(final int bytes) throws Rejection {
        final long max = limits.payloadBytes();
        if (bytes > max) {
            throw refuse(TenantLimit.PAYLOAD_BYTES, RejectReason.OVERSIZE,
                    "payload is " + bytes + " bytes; at most " + max + " are accepted");
        }
    }

    /** Refuses a node payload of {@code metrics} metrics over the tenant's limit per payload. */
    public void checkMetrics(final int metrics) throws Rejection {
        final long max = limits.metricsPerPayload();
        if (metrics > max) {
            throw refuse(TenantLimit.METRICS_PER_PAYLOAD, RejectReason.QUOTA_EXCEEDED, "quota exceeded: payload has "
                    + metrics + " metrics; tenant '" + tenant + "' may send at most " + max + " per payload");
        }
    }

    /** Refuses a subscription that would give one client more than {@code held} + 1 over the tenant's limit. */
    public void checkSubscriptions(final int held) throws Rejection {
        final long max = limits.subscriptionsPerClient();
        if (held >= max) {
            throw refuse(TenantLimit.SUBSCRIPTIONS_PER_CLIENT, RejectReason.QUOTA_EXCEEDED, "quota exceeded: a client of"
                    + " tenant '" + tenant + "' may hold at most " + max + " subscriptions");
        }
    }

    /** Refuses a new client id for a user that already holds {@code held}, at or over the tenant's limit. */
    public void checkSessions(final int held) throws Rejection {
        final long max = limits.sessionsPerUser();
        if (held >= max) {
            throw refuse(TenantLimit.SESSIONS_PER_USER, RejectReason.QUOTA_EXCEEDED, "quota exceeded: a user of tenant '"
                    + tenant + "' may hold at most " + max + " client ids (connected or with a kept session)");
        }
    }

    /**
     * Reserves room for {@code fresh} new series, or refuses the publish whole: over the series limit or the new-series
     * rate. Every successful call must be followed by {@link #settleSeries} once the series exist (or were not made).
     */
    public void admitSeries(final int fresh) throws Rejection {
        final TenantLimits in = limits;
        long pending;
        do {
            pending = pendingSeries.get();
            final long held = series.get();
            if (held + pending + fresh > in.series()) {
                throw refuse(TenantLimit.SERIES, RejectReason.QUOTA_EXCEEDED, "quota exceeded: tenant '" + tenant
                        + "' has " + held + " series; " + fresh + " more would pass its series limit of "
                        + in.series());
            }
        } while (!pendingSeries.compareAndSet(pending, pending + fresh));
        if (!takeNewSeries(fresh, in.newSeriesPerMinute())) {
            pendingSeries.addAndGet(-fresh);
            throw refuse(TenantLimit.NEW_SERIES_PER_MINUTE, RejectReason.QUOTA_EXCEEDED, "quota exceeded: tenant '"
                    + tenant + "' may create " + in.newSeriesPerMinute() + " new series per minute; " + fresh
                    + " more must wait");
        }
    }

    /** Ends the reservation of {@link #admitSeries}; the series made meanwhile were counted by {@link #seriesCreated}. */
    public void settleSeries(final int fresh) {
        pendingSeries.addAndGet(-fresh);
    }

    void seriesCreated() {
        series.incrementAndGet();
    }

    private boolean takeNewSeries(final int fresh, final long perMinute) {
        if (perMinute >= MINUTE_MICROS) {
            return true;
        }
        final long interval = MINUTE_MICROS / perMinute;
        final long now = clock.millis() * 1000;
        while (true) {
            final long fullAt = fullAtMicros.get();
            final long next = Math.max(fullAt, now) + fresh * interval;
            if (next - now > MINUTE_MICROS) {
                return false;
            }
            if (fullAtMicros.compareAndSet(fullAt, next)) {
                return true;
            }
        }
    }

    /**
     * Adds a retained message of {@code bytes} that replaces one of {@code replacedBytes} the tenant holds
     * ({@code replacesOwn}), or refuses it over the retained bytes or messages limit. The replaced message stays
     * counted until {@link #releaseRetained} is called for it.
     */
    void chargeRetained(final long bytes, final boolean replacesOwn, final long replacedBytes) throws Rejection {
        final TenantLimits in = limits;
        final long afterBytes = retainedBytes.addAndGet(bytes) - (replacesOwn ? replacedBytes : 0);
        if (afterBytes > in.retainedBytes()) {
            retainedBytes.addAndGet(-bytes);
            throw refuse(TenantLimit.RETAINED_BYTES, RejectReason.QUOTA_EXCEEDED, "quota exceeded: tenant '" + tenant
                    + "' may keep " + in.retainedBytes() + " bytes of retained messages; this one would make "
                    + afterBytes);
        }
        final long afterMessages = retainedMessages.incrementAndGet() - (replacesOwn ? 1 : 0);
        if (afterMessages > in.retainedMessages()) {
            retainedMessages.decrementAndGet();
            retainedBytes.addAndGet(-bytes);
            throw refuse(TenantLimit.RETAINED_MESSAGES, RejectReason.QUOTA_EXCEEDED, "quota exceeded: tenant '"
                    + tenant + "' may keep " + in.retainedMessages() + " retained messages");
        }
    }

    /** Counts a retained message without a check: found at start, or put back when a publish was refused. */
    void addRetained(final long bytes) {
        retainedBytes.addAndGet(bytes);
        retainedMessages.incrementAndGet();
    }

    void releaseRetained(final long bytes) {
        retainedBytes.addAndGet(-bytes);
        retainedMessages.decrementAndGet();
    }

    private Rejection refuse(final TenantLimit limit, final RejectReason reason, final String message) {
        metrics.refused(limit, label);
        final long now = clock.millis();
        final long next = nextLogMillis.get(limit.ordinal());
        if (now >= next && nextLogMillis.compareAndSet(limit.ordinal(), next, now + LOG_EVERY_MILLIS)) {
            log.warn("tenant '{}' over its {} limit: {} (every refusal is counted in cellwatch_quota_refused_total; "
                    + "this is logged at most once a minute per tenant and limit)", tenant, limit.word(), message);
        }
        return new Rejection(reason, message);
    }
}
