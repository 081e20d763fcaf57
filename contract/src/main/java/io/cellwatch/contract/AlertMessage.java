package io.cellwatch.contract;

/**
 * One alert at a moment, as the broker tells it on {@code tenants/{t}/alerts/{id}}, over the API and to webhooks
 * ({@link PayloadWriter#alert}). Times are epoch milliseconds; 0 means "not (yet)". Immutable.
 *
 * @param id             stable per (rule, subject) within the tenant; a valid topic level
 * @param tenant         the tenant the rule belongs to
 * @param rule           the rule's name in the rules file
 * @param kind           threshold, rate, stale, aggregate or zscore
 * @param severity       critical, major, minor, warning or info
 * @param subject        the series key (or, for an aggregate, the node path) the alert is about
 * @param state          raised, acknowledged or cleared
 * @param value          the value the rule judged at the last change (seconds of silence for stale)
 * @param threshold      the rule's trigger level
 * @param raisedAt       when it was last raised
 * @param acknowledgedAt when it was acknowledged since it was last raised, or 0
 * @param acknowledgedBy who acknowledged it, or {@code null}
 * @param clearedAt      when it cleared after it was last raised, or 0
 * @param raises         how many times it has been raised
 * @param at             when it entered {@code state}
 */
public record AlertMessage(String id, String tenant, String rule, String kind, String severity, String subject,
                           String state, double value, double threshold, long raisedAt, long acknowledgedAt,
                           String acknowledgedBy, long clearedAt, int raises, long at) {
}
