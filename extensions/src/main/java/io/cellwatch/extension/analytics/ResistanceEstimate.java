package io.cellwatch.extension.analytics;

/**
 * A cell's DC internal resistance by the pulse method.
 *
 * @param ohms             the median of its latest steps' R = ΔV / ΔI
 * @param spreadOhms       1.4826 × their median absolute deviation (a standard deviation robust to outliers)
 * @param steps            how many steps were ever measured on it
 * @param ratioToPackMedian {@code ohms} over the median of its pack's cells' {@code ohms}, NaN while the pack has
 *                         too few measured cells
 */
public record ResistanceEstimate(double ohms, double spreadOhms, long steps, double ratioToPackMedian) {
}
