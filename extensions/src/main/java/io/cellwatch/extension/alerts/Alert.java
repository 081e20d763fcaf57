package io.cellwatch.extension.alerts;

import io.cellwatch.contract.AlertMessage;

/**
 * One alert at a moment: a rule's verdict on one subject, with its lifecycle. Immutable; every change makes a new
 * one ({@link AlertBook}).
 *
 * @param rule           the rule that raised it
 * @param id             stable per (rule, subject) within the tenant
 * @param subject        the series key, or the node path of an aggregate
 * @param state          raised, acknowledged or cleared
 * @param value          the value judged at the last change
 * @param raisedAt       when it was last raised, epoch ms
 * @param acknowledgedAt when it was acknowledged since, or 0
 * @param acknowledgedBy who acknowledged it, or {@code null}
 * @param clearedAt      when it cleared since it was last raised, or 0
 * @param raises         how many times it has been raised
 * @param at             when it entered {@code state}
 */
public record Alert(AlertRule rule, String id, String subject, AlertState state, double value, long raisedAt,
                    long acknowledgedAt, String acknowledgedBy, long clearedAt, int raises, long at) {

    public String tenant() {
        return rule.tenant();
    }

    public Severity severity() {
        return rule.severity();
    }

    /** The wire form (MQTT, API, webhook). */
    public AlertMessage message() {
        return new AlertMessage(id, rule.tenant(), rule.name(), rule.kind().word(), rule.severity().word(), subject,
                state.word(), value, rule.trigger(), raisedAt, acknowledgedAt, acknowledgedBy, clearedAt, raises, at);
    }

    /** Whether the subject lies in the subtree at {@code path} ({@code ""}: everything). */
    public boolean isUnder(final String path) {
        return path.isEmpty() || subject.equals(path)
                || (subject.startsWith(path) && subject.charAt(path.length()) == '/');
    }
}
