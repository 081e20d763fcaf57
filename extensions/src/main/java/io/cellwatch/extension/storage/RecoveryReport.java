package io.cellwatch.extension.storage;

/**
 * What recovery found.
 *
 * @param series      series known after recovery
 * @param gateways    gateways known after recovery
 * @param walReplayed WAL records replayed after DuckDB's checkpoint (not yet in DuckDB)
 * @param checkpoint  DuckDB's checkpoint: the WAL index of the last record it holds, or -1
 * @param millis      time recovery took
 */
public record RecoveryReport(int series, int gateways, long walReplayed, long checkpoint, long millis) {
}
