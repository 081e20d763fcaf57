package io.cellwatch.extension.config;

/**
 * Health and the synthetic probe.
 *
 * @param maxHistoryLagSeconds how long the history writer may have work pending before {@code /readyz} fails
 * @param probeIntervalSeconds how often the synthetic probe publishes; 0 turns it off
 */
public record OpsSettings(int maxHistoryLagSeconds, int probeIntervalSeconds) {

    public static final String MAX_HISTORY_LAG_SECONDS = "health.max-history-lag-seconds";
    public static final String PROBE_INTERVAL_SECONDS = "probe.interval-seconds";

    /** Ready while the history writer is less than 60 s behind; a probe every 10 s. */
    public static OpsSettings defaults() {
        return new OpsSettings(60, 10);
    }

    static OpsSettings from(final ConfigFile file, final ConfigErrors errors) {
        final OpsSettings d = defaults();
        return new OpsSettings(
                file.intValue(MAX_HISTORY_LAG_SECONDS, d.maxHistoryLagSeconds(), 1, 86_400, errors),
                file.intValue(PROBE_INTERVAL_SECONDS, d.probeIntervalSeconds(), 0, 3_600, errors));
    }
}
