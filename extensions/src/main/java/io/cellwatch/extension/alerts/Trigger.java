package io.cellwatch.extension.alerts;

/**
 * The hysteresis of one rule on one subject: raises when the value is past the trigger for the hold time, clears
 * when it is back at the clear level for the clear hold time. Alert thread only.
 */
final class Trigger {

    private static final long NONE = -1;

    final String subject;
    final String id;
    private boolean active;
    private long raisingSince = NONE;
    private long clearingSince = NONE;
    private double last = Double.NaN;

    Trigger(final AlertRule rule, final String subject) {
        this.subject = subject;
        this.id = AlertBook.idOf(rule, subject);
    }

    boolean active() {
        return active;
    }

    double last() {
        return last;
    }

    /** Whether a hold is running: the next {@link #recheck} may raise or clear without a new value. */
    boolean waiting() {
        return raisingSince != NONE || clearingSince != NONE;
    }

    /** Judges {@code value} at {@code now}. */
    void judge(final AlertRule rule, final double value, final long now, final AlertBook book) {
        last = value;
        if (!active) {
            clearingSince = NONE;
            if (rule.comparison().raises(value, rule.trigger())) {
                if (raisingSince == NONE) {
                    raisingSince = now;
                }
                if (now - raisingSince >= rule.holdMillis()) {
                    active = true;
                    raisingSince = NONE;
                    book.raise(rule, id, subject, value, now);
                }
            } else {
                raisingSince = NONE;
            }
        } else {
            raisingSince = NONE;
            if (rule.comparison().clears(value, rule.clear())) {
                if (clearingSince == NONE) {
                    clearingSince = now;
                }
                if (now - clearingSince >= rule.clearHoldMillis()) {
                    active = false;
                    clearingSince = NONE;
                    book.clear(rule.tenant(), id, value, now);
                }
            } else {
                clearingSince = NONE;
            }
        }
    }

    /** Judges the last value again: time passed without a new one, a hold may be over. */
    void recheck(final AlertRule rule, final long now, final AlertBook book) {
        if (waiting()) {
            judge(rule, last, now, book);
        }
    }

    /** The rule is gone or changed: its alert clears. */
    void retire(final AlertRule rule, final long now, final AlertBook book) {
        if (active) {
            active = false;
            book.clear(rule.tenant(), id, last, now);
        }
    }
}
