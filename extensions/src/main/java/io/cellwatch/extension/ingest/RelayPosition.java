package io.cellwatch.extension.ingest;

/**
 * Where a publish relayed through Kafka came from: its partition and offset in the samples topic. Stored with the
 * publish (WAL) and with the history batch (DuckDB), so a serving node resumes exactly after what it stored.
 */
public record RelayPosition(int partition, long offset) {
}
