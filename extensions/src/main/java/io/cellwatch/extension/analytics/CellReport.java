package io.cellwatch.extension.analytics;

/**
 * One cell's figures in a pack report.
 *
 * @param cell       the cell's path
 * @param resistance its resistance estimate, null before its first step
 * @param bottoms    how often it was its pack's lowest cell at the end of a discharge
 */
public record CellReport(String cell, ResistanceEstimate resistance, long bottoms) {
}
