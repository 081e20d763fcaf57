package io.cellwatch.extension.config;

/**
 * Health checks and the synthetic probe.
 *
 * @param maxHistoryLagSeconds how long the history writer may have work pending before {@code /readyz} fails; also
 *                             how long the probe waits for its sample in DuckDB
 * @param probeIntervalSeconds how often the synthetic probe publishes a sample through the broker; 0 switches it off
 */
public record OpsSettings(int maxHistoryLagSeconds, int probeIntervalSeconds) {

    public static final String MAX_HISTORY_LAG_SECONDS = "health.max-history-lag-seconds";
    public static final String PROBE_INTERVAL_SECONDS = "probe.interval-seconds";

    /** Ready while the history writer is less than 60 s behind; a probe every 10 s. */
    public static OpsSettings defaults() {
        return new OpsSettings(60, 10);
    }

    /**
     * How long the probe may go without a sample through to the live view and DuckDB before {@code /readyz} fails:
     * three intervals plus the history lag bound.
     */
    public int probeReadySeconds() {
        return 3 * probeIntervalSeconds + maxHistoryLagSeconds;
    }

    /** A copy with the probe every {@code seconds} (0: off). */
    public OpsSettings withProbeIntervalSeconds(final int seconds) {
        return new OpsSettings(maxHistoryLagSeconds, seconds);
    }

    static OpsSettings from(final ConfigFile file, final ConfigErrors errors) {
        final OpsSettings d = defaults();
        return new OpsSettings(
                file.intValue(MAX_HISTORY_LAG_SECONDS, d.maxHistoryLagSeconds(), 1, 86_400, errors),
                file.intValue(PROBE_INTERVAL_SECONDS, d.probeIntervalSeconds(), 0, 3_600, errors));
    }
}
