package io.cellwatch.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of the broker scenarios (ingest, persistence, latency, scale), with full-size defaults;
 * {@link #smokeRun()} is the tiny variant the build runs. Printed with every result.
 *
 * @param load             what the ingest and persistence load generator publishes (QoS set per run)
 * @param qos              QoS levels the ingest scenario measures
 * @param warmupSeconds    flat-out publishing per variant and QoS before the measured runs
 * @param runs             measured runs per variant, QoS (and latency)
 * @param runSeconds       length of one measured ingest run
 * @param authVariant      also measure {@code cellwatch, auth+ACL} (skipped, and said so, if the server in this build
 *                         does not enforce auth)
 * @param persistSeconds   length of the paced persistence run
 * @param persistFraction  its offered rate as a share of the median cellwatch QoS 1 rate measured by ingest
 * @param aclRate          samples/s offered in every run of the ACL cost scenario
 * @param latencyRate      samples/s offered during the latency runs
 * @param latencyGateways  gateways publishing during the latency runs (four packs per rack)
 * @param wsClients        WebSocket clients subscribed during the latency runs (and every step of the curve)
 * @param wsClientsLarge   WebSocket clients of the large latency step (plus one that stops reading)
 * @param curveRates       samples/s offered in the steps of the degradation curve, {@code wsClients} clients each
 * @param latencySeconds   length of one latency run
 * @param latencyWarmupSeconds paced publishing per latency step before its runs (the step's client JVM is new)
 * @param scaleSizes       series counts of the scale scenario
 * @param smoke            whether this is the smoke variant (printed, so a smoke figure is never mistaken)
 */
record SuiteOptions(LoadShape load, List<Integer> qos, double warmupSeconds, int runs, double runSeconds,
                    boolean authVariant, double persistSeconds, double persistFraction, double aclRate, double latencyRate,
                    int latencyGateways, int wsClients, int wsClientsLarge, List<Integer> curveRates,
                    double latencySeconds, double latencyWarmupSeconds, List<Integer> scaleSizes, boolean smoke) {

    /**
     * Full size: 8 gateways × 96 cells of node payloads, 5 s warm-up and 3 × 10 s per variant and QoS; latency with
     * 100 and 1,000 WebSocket clients and a curve of 10k–80k samples/s, 15 s warm-up per step.
     */
    static SuiteOptions defaults() {
        return new SuiteOptions(new LoadShape(8, 96, LoadShape.Payload.NODE, 1, 1000), List.of(0, 1), 5, 3, 10,
                true, 30, 0.5, 90_000, 20_000, 16, 100, 1000, List.of(10_000, 20_000, 40_000, 80_000), 10,
                15, List.of(10_000, 100_000, 1_000_000), false);
    }

    /** Tiny sizes for the build: every scenario and every variant runs, each for a second or less. */
    static SuiteOptions smokeRun() {
        return new SuiteOptions(new LoadShape(2, 16, LoadShape.Payload.NODE, 1, 100), List.of(0, 1), 0.25, 1, 0.5,
                true, 0.5, 0.5, 1_500, 1_500, 4, 10, 20, List.of(1_500), 0.5, 0.5,
                List.of(10_000), true);
    }

    /** Reads {@code --flag value} / {@code --flag=value} over the defaults ({@code --smoke}: over the smoke sizes). */
    static SuiteOptions parse(final List<String> args) throws BenchOptions.Invalid {
        final Map<String, String> flags = new TreeMap<>();
        for (int i = 0; i < args.size(); i++) {
            final String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new BenchOptions.Invalid("unexpected argument '" + arg + "'; see --help");
            }
            final int eq = arg.indexOf('=');
            if (eq > 0) {
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (arg.equals("--smoke")) {
                flags.put("smoke", "true");
            } else if (i + 1 < args.size()) {
                flags.put(arg.substring(2), args.get(++i));
            } else {
                throw new BenchOptions.Invalid(arg + ": missing value");
            }
        }
        final SuiteOptions b = Boolean.parseBoolean(flags.remove("smoke")) ? smokeRun() : defaults();
        try {
            final LoadShape load = new LoadShape(
                    intFlag(flags, "gateways", b.load.gateways(), 1, 1000),
                    intFlag(flags, "cells", b.load.cells(), 1, 100_000),
                    flags.containsKey("payload") ? LoadShape.Payload.parse(flags.remove("payload")) : b.load.payload(),
                    1, intFlag(flags, "window", b.load.window(), 1, 65_535));
            final SuiteOptions options = new SuiteOptions(load,
                    flags.containsKey("qos") ? ints(flags.remove("qos")) : b.qos,
                    doubleFlag(flags, "warmup-seconds", b.warmupSeconds),
                    intFlag(flags, "runs", b.runs, 1, 100),
                    doubleFlag(flags, "run-seconds", b.runSeconds),
                    flags.containsKey("auth-variant") ? onOff(flags.remove("auth-variant")) : b.authVariant,
                    doubleFlag(flags, "persist-seconds", b.persistSeconds),
                    doubleFlag(flags, "persist-fraction", b.persistFraction),
                    doubleFlag(flags, "acl-rate", b.aclRate),
                    doubleFlag(flags, "latency-rate", b.latencyRate),
                    intFlag(flags, "latency-gateways", b.latencyGateways, 1, 1000),
                    intFlag(flags, "ws-clients", b.wsClients, 1, 10_000),
                    intFlag(flags, "ws-clients-large", b.wsClientsLarge, 1, 10_000),
                    flags.containsKey("curve") ? ints(flags.remove("curve")) : b.curveRates,
                    doubleFlag(flags, "latency-seconds", b.latencySeconds),
                    doubleFlag(flags, "latency-warmup-seconds", b.latencyWarmupSeconds),
                    flags.containsKey("scale") ? ints(flags.remove("scale")) : b.scaleSizes,
                    b.smoke);
            if (!flags.isEmpty()) {
                throw new BenchOptions.Invalid("unknown flag(s) " + flags.keySet() + "; see --help");
            }
            if (!options.qos.stream().allMatch(q -> q == 0 || q == 1)) {
                throw new BenchOptions.Invalid("--qos: only 0 and 1, got " + options.qos);
            }
            return options;
        } catch (final IllegalArgumentException e) {
            throw new BenchOptions.Invalid("bad value: " + e.getMessage());
        }
    }

    private static int intFlag(final Map<String, String> flags, final String name, final int fallback, final int min,
                               final int max) throws BenchOptions.Invalid {
        final String text = flags.remove(name);
        if (text == null) {
            return fallback;
        }
        final int value = Integer.parseInt(text.replace("_", ""));
        if (value < min || value > max) {
            throw new BenchOptions.Invalid("--" + name + ": expected " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    private static double doubleFlag(final Map<String, String> flags, final String name, final double fallback)
            throws BenchOptions.Invalid {
        final String text = flags.remove(name);
        if (text == null) {
            return fallback;
        }
        final double value = Double.parseDouble(text);
        if (!(value > 0)) {
            throw new BenchOptions.Invalid("--" + name + ": expected a number above 0, got " + text);
        }
        return value;
    }

    private static List<Integer> ints(final String text) {
        return Arrays.stream(text.split(",")).map(s -> Integer.parseInt(s.trim().replace("_", ""))).toList();
    }

    private static boolean onOff(final String text) throws BenchOptions.Invalid {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new BenchOptions.Invalid("--auth-variant: on or off, got '" + text + "'");
        };
    }

    static List<String> usage() {
        return new ArrayList<>(List.of(
                "broker scenarios (ingest, acl, persistence, latency, scale):",
                "  --smoke                  tiny sizes: every scenario and variant, about a second each",
                "  --gateways N             MQTT gateway connections for ingest/persistence (default 8)",
                "  --cells N                topics (cells) per gateway (default 96)",
                "  --payload node|metric    node = 3 samples per publish, metric = 1 (default node)",
                "  --window N               publishes in flight per connection (default 1000)",
                "  --qos 0,1                QoS levels of the ingest scenario (default 0,1)",
                "  --warmup-seconds S       warm-up per variant and QoS, per scenario (default 5)",
                "  --runs N                 measured runs (default 3; acl: pairs of runs)",
                "  --run-seconds S          length of one ingest or acl run (default 10)",
                "  --auth-variant on|off    also measure cellwatch with auth+ACL (default on)",
                "  --persist-seconds S      paced persistence run (default 30)",
                "  --persist-fraction F     its rate = F x median cellwatch QoS 1 ingest rate (default 0.5)",
                "  --acl-rate N             samples/s offered in the acl runs, QoS 1 (default 90000)",
                "  --latency-rate N         samples/s offered in the latency runs (default 20000)",
                "  --latency-gateways N     gateways publishing in the latency runs (default 16)",
                "  --ws-clients N           WebSocket clients subscribed (default 100)",
                "  --ws-clients-large N     WebSocket clients of the large step, plus one stalled (default 1000)",
                "  --curve 10000,20000,...  samples/s of the degradation curve steps (default 10k,20k,40k,80k)",
                "  --latency-seconds S      length of one latency run (default 10)",
                "  --latency-warmup-seconds S  paced warm-up per latency step, its client JVM new (default 15)",
                "  --scale 10000,100000,... series counts of the scale scenario (default 10k, 100k, 1M)"));
    }
}
