package io.cellwatch.extension.alerts;

/**
 * One rule of the rules file. Immutable.
 *
 * @param tenant      the tenant block it is in
 * @param name        unique within the tenant
 * @param kind        what it judges
 * @param aggregate   the function of an aggregate rule; {@code null} for other kinds
 * @param pattern     the series it watches, below {@code tenants/{tenant}}
 * @param comparison  which side of the trigger is bad
 * @param trigger     the level past which it raises (seconds for stale, per second for rate, deviations for zscore)
 * @param clear       the level at (or beyond) which it clears: hysteresis; equal to {@code trigger} if not given
 * @param holdMillis  how long the condition must hold before it raises
 * @param clearHoldMillis how long the clear condition must hold before it clears
 * @param reraiseMillis an acknowledged alert still active for this long is raised again; 0: never
 * @param window      samples of the baseline of a zscore rule; 0 for other kinds
 * @param ratedAh     the rated capacity of a soh-below rule's packs, Ah; 0 for other kinds
 * @param severity    how bad its alerts are
 * @param line        where it is defined
 * @param definition  the rule as written, normalised: a reload keeps the state of rules whose definition is unchanged
 */
public record AlertRule(String tenant, String name, RuleKind kind, Aggregate aggregate, SeriesPattern pattern,
                        Comparison comparison, double trigger, double clear, long holdMillis, long clearHoldMillis,
                        long reraiseMillis, int window, double ratedAh, Severity severity, int line,
                        String definition) {
}
