package io.cellwatch.extension.config;

/**
 * Battery analytics (docs/analytics.md): on or off, the estimators' knobs and how much it follows.
 *
 * @param enabled            whether serving nodes run the estimators
 * @param minStepAmps        smallest change of pack current that counts as a step (pulse method)
 * @param maxGapMillis       samples further apart are not compared or integrated over
 * @param resistanceWindow   steps a cell's resistance is the median of
 * @param minSocSwingPercent how far state of charge must move for a capacity estimate
 * @param capacityWindow     estimates a pack's capacity is the median of
 * @param restAmps           below this current the pack is at rest; below {@code minStepAmps}
 * @param maxPacks           packs followed at most; samples of further packs are not analysed (counted)
 * @param maxCellsPerPack    cells per pack followed at most
 * @param storeIntervalSeconds a pack's report is stored in DuckDB at most once per this many seconds; 0 stores none
 */
public record AnalyticsSettings(boolean enabled, int minStepAmps, int maxGapMillis, int resistanceWindow,
                                int minSocSwingPercent, int capacityWindow, int restAmps, int maxPacks,
                                int maxCellsPerPack, int storeIntervalSeconds) {

    public static final String ENABLED = "analytics.enabled";
    public static final String MIN_STEP_AMPS = "analytics.min-step-amps";
    public static final String MAX_GAP_MILLIS = "analytics.max-gap-millis";
    public static final String RESISTANCE_WINDOW = "analytics.resistance-window";
    public static final String MIN_SOC_SWING_PERCENT = "analytics.min-soc-swing-percent";
    public static final String CAPACITY_WINDOW = "analytics.capacity-window";
    public static final String REST_AMPS = "analytics.rest-amps";
    public static final String MAX_PACKS = "analytics.max-packs";
    public static final String MAX_CELLS_PER_PACK = "analytics.max-cells-per-pack";
    public static final String STORE_INTERVAL_SECONDS = "analytics.store-interval-seconds";

    /**
     * On: 20 A steps, 5 s gaps, 32 steps, 30 % swings, 8 capacity estimates, 2 A rest, 100,000 packs of 1,024, a
     * snapshot of each pack stored every 5 minutes.
     */
    public static AnalyticsSettings defaults() {
        return new AnalyticsSettings(true, 20, 5_000, 32, 30, 8, 2, 100_000, 1_024, 300);
    }

    /** A copy switched on or off. */
    public AnalyticsSettings withEnabled(final boolean on) {
        return new AnalyticsSettings(on, minStepAmps, maxGapMillis, resistanceWindow, minSocSwingPercent,
                capacityWindow, restAmps, maxPacks, maxCellsPerPack, storeIntervalSeconds);
    }

    /** A copy storing each pack's report at most once per {@code seconds} (0: never). */
    public AnalyticsSettings withStoreIntervalSeconds(final int seconds) {
        return new AnalyticsSettings(enabled, minStepAmps, maxGapMillis, resistanceWindow, minSocSwingPercent,
                capacityWindow, restAmps, maxPacks, maxCellsPerPack, seconds);
    }

    /** Whether reports are stored in DuckDB at all. */
    public boolean storing() {
        return storeIntervalSeconds > 0;
    }

    static AnalyticsSettings from(final ConfigFile file, final ConfigErrors errors) {
        final AnalyticsSettings d = defaults();
        final int step = file.intValue(MIN_STEP_AMPS, d.minStepAmps(), 1, 100_000, errors);
        int rest = file.intValue(REST_AMPS, d.restAmps(), 0, 100_000, errors);
        if (rest >= step) {
            final ConfigFile.Entry entry = file.entry(REST_AMPS)
                    .orElseGet(() -> file.entry(MIN_STEP_AMPS).orElseThrow());
            errors.add(entry.origin() != null ? entry.origin() : file.source(), entry.line(), REST_AMPS,
                    "value " + rest + " must be below " + MIN_STEP_AMPS + " (" + step + ")");
            rest = Math.min(d.restAmps(), step - 1);
        }
        return new AnalyticsSettings(file.booleanValue(ENABLED, d.enabled(), errors), step,
                file.intValue(MAX_GAP_MILLIS, d.maxGapMillis(), 100, 600_000, errors),
                file.intValue(RESISTANCE_WINDOW, d.resistanceWindow(), 3, 1_024, errors),
                file.intValue(MIN_SOC_SWING_PERCENT, d.minSocSwingPercent(), 5, 100, errors),
                file.intValue(CAPACITY_WINDOW, d.capacityWindow(), 1, 1_024, errors),
                rest,
                file.intValue(MAX_PACKS, d.maxPacks(), 1, 10_000_000, errors),
                file.intValue(MAX_CELLS_PER_PACK, d.maxCellsPerPack(), 2, 65_536, errors),
                file.intValue(STORE_INTERVAL_SECONDS, d.storeIntervalSeconds(), 0, 86_400, errors));
    }
}
