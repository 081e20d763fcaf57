package io.cellwatch.extension.analytics;

/**
 * What flowed through a pack in one UTC day.
 *
 * @param day          days since 1970-01-01 (UTC)
 * @param ampHours     Σ|I|·dt, Ah
 * @param kWhIn        energy charged, kWh
 * @param kWhOut       energy discharged, kWh
 * @param fullCycles   equivalent full cycles: {@code ampHours} / (2 × capacity), NaN without a capacity
 */
public record DayThroughput(long day, double ampHours, double kWhIn, double kWhOut, double fullCycles) {
}
