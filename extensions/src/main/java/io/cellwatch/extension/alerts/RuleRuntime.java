package io.cellwatch.extension.alerts;

import io.cellwatch.extension.analytics.CellReport;
import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.analytics.ResistanceEstimate;
import io.cellwatch.extension.series.Series;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule at work: one {@link Trigger} per subject, and per matched series a {@link Binding} holding what the rule
 * remembers of it (previous sample, baseline, last arrival, its cell in the parent's {@link SiblingGroup}), so a
 * sample costs no lookup beyond its series' bindings. Alert thread only.
 */
final class RuleRuntime {

    /** Steps a cell needs before a resistance-outlier rule judges it: one step is a guess. */
    static final long MIN_OUTLIER_STEPS = 5;

    private AlertRule rule;
    private final Map<String, Trigger> triggers = new HashMap<>();
    private final Map<String, SiblingGroup> groups = new HashMap<>();
    private final List<Binding> stale = new ArrayList<>();
    private final Map<Series, Binding> bindings = new HashMap<>();

    /** This rule on one matched series. */
    final class Binding {
        private final Trigger trigger;
        private final SiblingGroup group;
        private final double[] cell;
        private final Baseline baseline;
        private double previousValue;
        private long previousTs = Long.MIN_VALUE;
        private long arrival;

        private Binding(final Series series) {
            if (rule.kind() == RuleKind.AGGREGATE) {
                final String parent = parentOf(series);
                this.trigger = trigger(parent);
                this.group = groups.computeIfAbsent(parent, p -> new SiblingGroup());
                this.cell = group.cell(series);
            } else {
                this.trigger = trigger(series.key());
                this.group = null;
                this.cell = null;
            }
            this.baseline = rule.kind() == RuleKind.ZSCORE ? new Baseline(rule.window()) : null;
        }

        /** A sample of the series, taken at {@code now} (the alert clock); {@code ts} is its device time. */
        void sample(final double value, final long ts, final long now, final AlertBook book) {
            switch (rule.kind()) {
                case THRESHOLD -> trigger.judge(rule, value, now, book);
                case RATE -> {
                    // A first, replayed or same-instant sample says nothing about the rate.
                    final boolean judged = ts > previousTs && previousTs != Long.MIN_VALUE;
                    final double perSecond = judged ? (value - previousValue) * 1000.0 / (ts - previousTs) : 0;
                    if (ts > previousTs) {
                        previousValue = value;
                        previousTs = ts;
                    }
                    if (judged) {
                        trigger.judge(rule, perSecond, now, book);
                    }
                }
                case STALE -> {
                    if (arrival == 0) {
                        stale.add(this);
                    }
                    arrival = now;
                    trigger.judge(rule, 0, now, book);
                }
                case AGGREGATE -> {
                    group.update(cell, value);
                    trigger.judge(rule, group.apply(rule.aggregate()), now, book);
                }
                case ZSCORE -> {
                    final double z = baseline.scoreThenAdd(value);
                    if (!Double.isNaN(z)) {
                        trigger.judge(rule, z, now, book);
                    }
                }
            }
        }
    }

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

    /** This rule's memory of {@code series}, which its pattern matches; made once per series, kept over reloads. */
    Binding bind(final Series series) {
        Binding binding = bindings.get(series);
        if (binding == null) {
            binding = new Binding(series);
            bindings.put(series, binding);
        }
        return binding;
    }

    /** A sample of {@code series}: {@link Binding#sample} of its binding. */
    void sample(final Series series, final double value, final long ts, final long now, final AlertBook book) {
        bind(series).sample(value, ts, now, book);
    }

    /** The latest analytics of a pack this analytics rule's pattern matches: judged per cell or per pack. */
    void analytics(final PackReport pack, final long now, final AlertBook book) {
        switch (rule.kind()) {
            case RESISTANCE_OUTLIER -> {
                for (final CellReport cell : pack.cells()) {
                    final ResistanceEstimate r = cell.resistance();
                    if (r != null && r.steps() >= MIN_OUTLIER_STEPS && Double.isFinite(r.ratioToPackMedian())) {
                        trigger(cell.cell()).judge(rule, r.ratioToPackMedian(), now, book);
                    }
                }
            }
            case SOH_BELOW -> {
                if (Double.isFinite(pack.capacityAh())) {
                    trigger(pack.pack()).judge(rule, pack.capacityAh() / rule.ratedAh(), now, book);
                }
            }
            case SPREAD_TREND -> {
                if (Double.isFinite(pack.spreadTrendVoltsPerDay())) {
                    trigger(pack.pack()).judge(rule, pack.spreadTrendVoltsPerDay() * 1_000, now, book);
                }
            }
            default -> {
                // Sample rules are judged by sample().
            }
        }
    }

    /** Time passed: holds may be over, stale series judged by their silence, acknowledged alerts re-raised. */
    void tick(final long now, final AlertBook book) {
        if (rule.kind() == RuleKind.STALE) {
            for (final Binding binding : stale) {
                binding.trigger.judge(rule, (now - binding.arrival) / 1000.0, now, book);
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
