package io.cellwatch.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of one storage benchmark run, with the full-size defaults; {@link #smoke} is the tiny variant the
 * build runs. Every field is printed with the results.
 *
 * @param dataDir           folder for the WAL and both DuckDB files; {@code null}: a new temporary folder
 * @param keepData          keep {@code dataDir} afterwards (a temporary folder is deleted otherwise)
 * @param packs             packs of 96 cells × 3 metrics (288 series each) publishing during the ingest phases
 * @param warmupSeconds     flat-out ingest before anything is measured (JIT, DuckDB, page cache)
 * @param saturationRuns    flat-out ingest runs
 * @param saturationSeconds length of one flat-out run
 * @param pacedRuns         runs at a fixed offered rate
 * @param pacedSeconds      length of one paced run
 * @param pacedFraction     offered rate as a fraction of the median committed rate of the flat-out runs
 * @param pacedRate         offered rate in samples/s; 0: derived from {@code pacedFraction}
 * @param loadHours         hours of history loaded for the query phase (one pack, 288 series)
 * @param loadIntervalMs    sample interval of the loaded history
 * @param loadBatch         publishes per {@code HistoryWriter.write} call while loading
 * @param queryPoints       points per series asked of the history query
 * @param queryWarmups      query runs before the timed ones
 * @param queryRuns         timed query runs
 * @param smoke             whether this is the smoke variant (printed, so a smoke figure is never mistaken)
 */
public record BenchOptions(Path dataDir, boolean keepData, int packs, int warmupSeconds, int saturationRuns,
                           int saturationSeconds, int pacedRuns, int pacedSeconds, double pacedFraction,
                           long pacedRate, int loadHours, int loadIntervalMs, int loadBatch, int queryPoints,
                           int queryWarmups, int queryRuns, boolean smoke) {

    /** Thrown for a flag that is unknown, missing its value or out of range; the message names it. */
    public static final class Invalid extends Exception {
        Invalid(final String message) {
            super(message);
        }
    }

    /** The full benchmark: ten packs (2,880 series), 3 × 10 s flat out, 3 × 60 s paced, 24 h × 1 Hz of history. */
    public static BenchOptions defaults() {
        return new BenchOptions(null, false, 10, 10, 3, 10, 3, 60, 0.8, 0, 24, 1000, 50_000, 1000, 2, 7, false);
    }

    /**
     * Tiny sizes for the build (well under a minute): one pack, one short run of each kind, 24 h of history at one
     * sample a minute, so the query still asks 288 series for 1000 points over 24 h.
     */
    public static BenchOptions smoke(final Path dataDir) {
        return new BenchOptions(dataDir, false, 1, 1, 1, 2, 1, 3, 0.8, 0, 24, 60_000, 50_000, 1000, 1, 3, true);
    }

    /** Reads {@code --flag value} or {@code --flag=value} arguments over the defaults ({@code --smoke} first). */
    public static BenchOptions parse(final String[] args) throws Invalid {
        final Map<String, String> flags = new TreeMap<>();
        final List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            final String arg = list.get(i);
            if (!arg.startsWith("--")) {
                throw new Invalid("unexpected argument '" + arg + "'; see --help");
            }
            final int eq = arg.indexOf('=');
            if (eq > 0) {
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (arg.equals("--smoke") || arg.equals("--keep-data") || arg.equals("--help")) {
                flags.put(arg.substring(2), "true");
            } else if (i + 1 < list.size()) {
                flags.put(arg.substring(2), list.get(++i));
            } else {
                throw new Invalid(arg + ": missing value");
            }
        }
        if (flags.containsKey("help")) {
            throw new Invalid(usage());
        }
        final Path dir = flags.containsKey("data-dir") ? Path.of(flags.remove("data-dir")) : null;
        final BenchOptions base = Boolean.parseBoolean(flags.remove("smoke")) ? smoke(dir) : defaults().withDataDir(dir);
        final BenchOptions options = new BenchOptions(base.dataDir,
                Boolean.parseBoolean(flags.getOrDefault("keep-data", Boolean.toString(base.keepData))),
                intFlag(flags, "packs", base.packs, 1, 1000),
                intFlag(flags, "warmup-seconds", base.warmupSeconds, 0, 3600),
                intFlag(flags, "saturation-runs", base.saturationRuns, 1, 100),
                intFlag(flags, "saturation-seconds", base.saturationSeconds, 1, 3600),
                intFlag(flags, "paced-runs", base.pacedRuns, 1, 100),
                intFlag(flags, "seconds", base.pacedSeconds, 1, 3600),
                doubleFlag(flags, "paced-fraction", base.pacedFraction),
                intFlag(flags, "rate", (int) base.pacedRate, 0, 100_000_000),
                intFlag(flags, "load-hours", base.loadHours, 1, 24 * 30),
                intFlag(flags, "load-interval-ms", base.loadIntervalMs, 100, 3_600_000),
                intFlag(flags, "load-batch", base.loadBatch, 1, 1_000_000),
                intFlag(flags, "points", base.queryPoints, 1, 10_000),
                intFlag(flags, "query-warmups", base.queryWarmups, 0, 100),
                intFlag(flags, "query-runs", base.queryRuns, 1, 1000),
                base.smoke);
        flags.remove("keep-data");
        if (!flags.isEmpty()) {
            throw new Invalid("unknown flag(s) " + flags.keySet() + "; see --help");
        }
        return options;
    }

    BenchOptions withDataDir(final Path dir) {
        return new BenchOptions(dir, keepData, packs, warmupSeconds, saturationRuns, saturationSeconds, pacedRuns,
                pacedSeconds, pacedFraction, pacedRate, loadHours, loadIntervalMs, loadBatch, queryPoints,
                queryWarmups, queryRuns, smoke);
    }

    private static int intFlag(final Map<String, String> flags, final String name, final int fallback, final int min,
                               final int max) throws Invalid {
        final String text = flags.remove(name);
        if (text == null) {
            return fallback;
        }
        try {
            final int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (final NumberFormatException ignored) {
            // reported below
        }
        throw new Invalid("--" + name + ": expected an integer from " + min + " to " + max + ", got '" + text + "'");
    }

    private static double doubleFlag(final Map<String, String> flags, final String name, final double fallback)
            throws Invalid {
        final String text = flags.remove(name);
        if (text == null) {
            return fallback;
        }
        try {
            final double value = Double.parseDouble(text);
            if (value > 0 && value <= 2) {
                return value;
            }
        } catch (final NumberFormatException ignored) {
            // reported below
        }
        throw new Invalid("--" + name + ": expected a number above 0 and at most 2, got '" + text + "'");
    }

    /** Number of series publishing during the ingest phases. */
    public int series() {
        return packs * PackFleet.SERIES_PER_PACK;
    }

    static String usage() {
        return String.join("\n",
                "usage: StorageBenchmark [flags]",
                "  --smoke                  tiny sizes (< 1 min), for the build",
                "  --packs N                packs of 96 cells x 3 metrics publishing (default 10 = 2880 series)",
                "  --warmup-seconds N       flat-out warm-up, not reported (default 10)",
                "  --saturation-runs N      flat-out runs (default 3)",
                "  --saturation-seconds N   length of one flat-out run (default 10)",
                "  --paced-runs N           fixed-rate runs (default 3)",
                "  --seconds N              length of one fixed-rate run (default 60)",
                "  --paced-fraction F       fixed rate = F x median flat-out committed rate (default 0.8)",
                "  --rate N                 fixed rate in samples/s instead (default: derived)",
                "  --load-hours N           history loaded for the query phase (default 24)",
                "  --load-interval-ms N     its sample interval (default 1000)",
                "  --load-batch N           publishes per HistoryWriter.write while loading (default 50000)",
                "  --points N               points per series asked (default 1000)",
                "  --query-warmups N        untimed query runs first (default 2)",
                "  --query-runs N           timed query runs (default 7)",
                "  --data-dir DIR           where WAL and DuckDB files go (default: a new temp folder, deleted)",
                "  --keep-data              keep the data folder");
    }
}
