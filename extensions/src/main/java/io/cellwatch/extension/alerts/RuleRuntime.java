package io.cellwatch.extension.alerts;

import io.cellwatch.extension.series.Series;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rule at work: what it remembers per series (previous sample, baseline, last arrival, the children's latest
 * values of an aggregate) and one {@link Trigger} per subject. Alert thread only.
 */
final class RuleRuntime {

    /** A series' previous sample, for a rate. */
    private static final class Previous {
        double value;
        long ts;
    }

    private AlertRule rule;
    private final Map<String, Trigger> triggers = new HashMap<>();
    private final Map<Series, Previous> previous = new HashMap<>();
    private final Map<Series, Baseline> baselines = new HashMap<>();
    private final Map<Series, Long> lastArrival = new HashMap<>();
    private final Map<String, Map<Series, Double>> groups = new HashMap<>();

    RuleRuntime(final AlertRule rule) {
        this.rule = rule;
    }

    AlertRule rule() {
        return rule;
    }

    /** Keeps this rule's state under a reloaded copy with the same definition (only its line moved). */
    void rebind(final AlertRule same) {
        this.rule = same;
    }

    /** A sample of a series the pattern matches, taken at {@code now} (the alert clock). */
    void sample(final Series series, final double value, final long ts, final long now, final AlertBook book) {
        switch (rule.kind()) {
            case THRESHOLD -> trigger(series.key()).judge(rule, value, now, book);
            case RATE -> rate(series, value, ts, now, book);
            case STALE -> {
                lastArrival.put(series, now);
                trigger(series.key()).judge(rule, 0, now, book);
            }
            case AGGREGATE -> {
                final String parent = parentOf(series);
                final Map<Series, Double> group = groups.computeIfAbsent(parent, p -> new LinkedHashMap<>());
                group.put(series, value);
                trigger(parent).judge(rule, rule.aggregate().apply(group.values()), now, book);
            }
            case ZSCORE -> {
                final double z = baselines.computeIfAbsent(series, s -> new Baseline(rule.window()))
                        .scoreThenAdd(value);
                if (!Double.isNaN(z)) {
                    trigger(series.key()).judge(rule, z, now, book);
                }
            }
        }
    }

    /** Time passed: holds may be over, stale series judged by their silence, acknowledged alerts re-raised. */
    void tick(final long now, final AlertBook book) {
        if (rule.kind() == RuleKind.STALE) {
            for (final Map.Entry<Series, Long> arrival : lastArrival.entrySet()) {
                trigger(arrival.getKey().key()).judge(rule, (now - arrival.getValue()) / 1000.0, now, book);
            }
        } else {
            for (final Trigger trigger : triggers.values()) {
                trigger.recheck(rule, now, book);
            }
        }
        if (rule.reraiseMillis() > 0) {
            for (final Trigger trigger : triggers.values()) {
                if (trigger.active()) {
                    book.get(rule.tenant(), trigger.id)
                            .filter(a -> a.state() == AlertState.ACKNOWLEDGED
                                    && now - a.acknowledgedAt() >= rule.reraiseMillis())
                            .ifPresent(a -> book.reraise(rule.tenant(), trigger.id, trigger.last(), now));
                }
            }
        }
    }

    /** The rule was removed or changed: every alert it holds active clears. */
    void retire(final long now, final AlertBook book) {
        for (final Trigger trigger : triggers.values()) {
            trigger.retire(rule, now, book);
        }
    }

    private void rate(final Series series, final double value, final long ts, final long now, final AlertBook book) {
        final Previous before = previous.get(series);
        if (before == null) {
            final Previous first = new Previous();
            first.value = value;
            first.ts = ts;
            previous.put(series, first);
            return;
        }
        if (ts <= before.ts) {
            // A replayed or same-instant sample says nothing about the rate.
            return;
        }
        final double perSecond = (value - before.value) * 1000.0 / (ts - before.ts);
        before.value = value;
        before.ts = ts;
        trigger(series.key()).judge(rule, perSecond, now, book);
    }

    private Trigger trigger(final String subject) {
        Trigger trigger = triggers.get(subject);
        if (trigger == null) {
            trigger = new Trigger(rule, subject);
            triggers.put(subject, trigger);
        }
        return trigger;
    }

    /** The node above the series' node: for {@code …/packs/k1/cells/7/voltage}, {@code …/packs/k1}. */
    private static String parentOf(final Series series) {
        final String node = series.node().path();
        final int cut = node.lastIndexOf('/', node.lastIndexOf('/') - 1);
        return node.substring(0, cut);
    }
}
