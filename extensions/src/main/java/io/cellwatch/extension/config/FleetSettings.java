package io.cellwatch.extension.config;

/**
 * Gateway state tracking.
 *
 * @param staleAfterMillis how long a connected gateway may publish nothing before it is {@code stale}
 */
public record FleetSettings(int staleAfterMillis) {

    public static final String STALE_AFTER_MILLIS = "fleet.stale-after-millis";

    /** A gateway silent for 15 s is stale. */
    public static FleetSettings defaults() {
        return new FleetSettings(15_000);
    }

    static FleetSettings from(final ConfigFile file, final ConfigErrors errors) {
        return new FleetSettings(file.intValue(STALE_AFTER_MILLIS, defaults().staleAfterMillis(), 100, 86_400_000,
                errors));
    }
}
