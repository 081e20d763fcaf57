package io.cellwatch.extension.analytics;

/**
 * One cell's figures in a pack report.
 *
 * @param cell       the cell's path
 * @param resistance its resistance estimate, null before its first step
 * @param bottoms    how often it was its pack's lowest cell at the end of a discharge
 */
public record CellReport(String cell, ResistanceEstimate resistance, long bottoms) {

    /** Steps a cell needs before it is ranked: one step is a guess, a handful a measurement. */
    public static final long RANKED_STEPS = 5;
    /** The ratio to its pack's median at which a ranked cell counts as weak (the metrics; the dashboard's mark). */
    public static final double WEAK_RATIO = 1.5;

    /** Whether its resistance rests on enough steps, and its pack's median is known, to rank it. */
    public boolean ranked() {
        return resistance != null && resistance.steps() >= RANKED_STEPS
                && Double.isFinite(resistance.ratioToPackMedian());
    }

    /** Whether it is ranked at or above {@link #WEAK_RATIO} times its pack's median resistance. */
    public boolean weak() {
        return ranked() && resistance.ratioToPackMedian() >= WEAK_RATIO;
    }
}
