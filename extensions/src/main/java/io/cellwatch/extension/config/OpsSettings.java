package io.cellwatch.extension.config;

/**
 * Health checks.
 *
 * @param maxHistoryLagSeconds how long the history writer may have work pending before {@code /readyz} fails
 */
public record OpsSettings(int maxHistoryLagSeconds) {

    public static final String MAX_HISTORY_LAG_SECONDS = "health.max-history-lag-seconds";

    /** Ready while the history writer is less than 60 s behind. */
    public static OpsSettings defaults() {
        return new OpsSettings(60);
    }

    static OpsSettings from(final ConfigFile file, final ConfigErrors errors) {
        return new OpsSettings(file.intValue(MAX_HISTORY_LAG_SECONDS, defaults().maxHistoryLagSeconds(), 1, 86_400,
                errors));
    }
}
