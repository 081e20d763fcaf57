package io.cellwatch.extension.analytics;

import java.util.List;

/**
 * A pack's analytics at one moment, immutable: what the REST API answers and the history stores.
 *
 * @param pack             the pack's path
 * @param tenant           its tenant
 * @param at               when it was taken (server time, epoch ms)
 * @param samples          samples of the pack taken by its estimators since start
 * @param steps            current steps seen (pulse method)
 * @param medianOhms       the median of its cells' resistance, NaN with too few measured
 * @param capacityAh       measured capacity, NaN before the first swing
 * @param capacitySwings   swings behind {@code capacityAh}
 * @param ampHours         Σ|I|·dt since start
 * @param fullCycles       equivalent full cycles since start, NaN without a capacity
 * @param spreadTrendVoltsPerDay the trend of its daily cell-voltage spread
 * @param dischargeEnds    discharges that ended
 * @param cells            every cell seen, in the order first seen
 * @param days             throughput per UTC day, oldest first
 * @param spreadDays       cell-voltage spread per UTC day, oldest first
 * @param spreadHours      cell-voltage spread per hour of the last two days, oldest first (the dashboard's sparkline)
 */
public record PackReport(String pack, String tenant, long at, long samples, long steps, double medianOhms, double capacityAh,
                         long capacitySwings, double ampHours, double fullCycles, double spreadTrendVoltsPerDay,
                         long dischargeEnds, List<CellReport> cells, List<DayThroughput> days,
                         List<SpreadBucket> spreadDays, List<SpreadBucket> spreadHours) {

    public PackReport {
        cells = List.copyOf(cells);
        days = List.copyOf(days);
        spreadDays = List.copyOf(spreadDays);
        spreadHours = List.copyOf(spreadHours);
    }
}
