package io.cellwatch.bench;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints {@link DashboardFrameBenchmark}'s figures as Markdown tables: frames, the page's script by kind, attribution. */
final class FrameReport {

    private static final List<String> KINDS = List.of("parse", "frame", "render", "chart", "alerts");

    private FrameReport() {
    }

    static void print(final List<DashboardFrameBenchmark.Result> results, final PrintStream out) {
        out.println();
        out.println("| scenario | series at 1 Hz | updates drawn | script per update (mean / max) | frames | "
                + "median frame | longest gap | dropped frames | gaps under half a frame | measured (browser / bursts) |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (final DashboardFrameBenchmark.Result r : results) {
            final Map<String, Object> p = r.page();
            final double updates = num(p, "updates");
            out.printf(Locale.ROOT, "| %s | %,d | %.0f | %.2f ms / %.2f ms | %.0f | %.1f ms | %.1f ms | %.0f | %.0f | %.1f s / %s |%n",
                    name(r), r.series(), updates, num(p, "scriptMs") / Math.max(1, updates),
                    num(p, "maxScriptMs"), num(p, "frames"), num(p, "medianMs"), num(p, "maxGapMs"),
                    num(p, "dropped"), num(p, "shortGaps"), num(p, "spanMs") / 1000,
                    r.bursts() < 0 ? "–" : String.valueOf(r.bursts()));
        }
        printStorm(results, out);
        out.println();
        out.println("Page script by kind (count, mean / max ms; alerts = the alerts panel and title redrawn with "
                + "each update):");
        out.println();
        out.println("| scenario | " + String.join(" | ", KINDS) + " | page script per second |");
        out.println("|---|" + "---|".repeat(KINDS.size()) + "---|");
        for (final DashboardFrameBenchmark.Result r : results) {
            final Map<String, Object> kinds = map(r.page(), "kinds");
            final StringBuilder row = new StringBuilder("| " + name(r) + " | ");
            double total = 0;
            for (final String kind : KINDS) {
                final Map<String, Object> k = kinds == null ? null : map(kinds, kind);
                if (k == null || num(k, "count") == 0) {
                    row.append("– | ");
                    continue;
                }
                total += num(k, "ms");
                row.append(String.format(Locale.ROOT, "%.0f × %.2f / %.2f | ", num(k, "count"),
                        num(k, "ms") / num(k, "count"), num(k, "maxMs")));
            }
            final double seconds = num(r.page(), "spanMs") / 1000;
            row.append(String.format(Locale.ROOT, "%.1f ms |", total / Math.max(1, seconds)));
            out.println(row);
        }
        out.println();
        out.println("Where the dropped frames are (gaps over 1.5 × the median frame; long frames = Chromium's "
                + "long animation frames, >= 50 ms):");
        out.println();
        out.println("| scenario | gaps with page script in them: gaps / frames dropped / most page script in one gap "
                + "| gaps with no page script: gaps / frames dropped | long frames: total / with page script / other "
                + "script only / no script | longest long frame | longest render part of a long frame "
                + "| most page script in one long frame | page functions in long frames (ms) |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (final DashboardFrameBenchmark.Result r : results) {
            final Map<String, Object> with = map(r.page(), "gapsWith");
            final Map<String, Object> without = map(r.page(), "gapsWithout");
            final Map<String, Object> longFrames = map(r.page(), "long");
            out.printf(Locale.ROOT, "| %s | %.0f / %.0f / %.1f ms | %.0f / %.0f | %.0f / %.0f / %.0f / %.0f (%s) "
                            + "| %.1f ms | %.1f ms | %.1f ms | %s |%n",
                    name(r), num(with, "count"), num(with, "dropped"), num(with, "maxScriptMs"),
                    num(without, "count"), num(without, "dropped"), num(longFrames, "count"),
                    num(longFrames, "withPage"), num(longFrames, "withOther"), num(longFrames, "noScript"),
                    longFrames.get("kind"), num(longFrames, "maxDurationMs"), num(longFrames, "maxRenderMs"),
                    num(longFrames, "maxPageScriptMs"),
                    topFunctions(map(longFrames, "byFunction")));
        }
        printCores(results, out);
    }

    private static void printStorm(final List<DashboardFrameBenchmark.Result> results, final PrintStream out) {
        if (results.stream().allMatch(r -> r.storm() == null)) {
            return;
        }
        out.println();
        out.println("The alert storm while the page measured (raises = the server's count, the sum of the storm "
                + "alerts' `raises` from `GET /api/v1/alerts` before and after):");
        out.println();
        out.println("| scenario | raises | over | raises per second | active at the end | the page at the end |");
        out.println("|---|---|---|---|---|---|");
        for (final DashboardFrameBenchmark.Result r : results) {
            final AlertStorm.Measured m = r.storm();
            if (m != null) {
                out.printf(Locale.ROOT, "| %s | %,d | %.1f s | %.1f | %d | %s |%n", name(r), m.raises(), m.seconds(),
                        m.raisesPerSecond(), m.activeAtEnd(), m.panel());
            }
        }
    }

    private static void printCores(final List<DashboardFrameBenchmark.Result> results, final PrintStream out) {
        out.println();
        out.println("The browser's CPUs while the page measured (percent of their time; others = every other process "
                + "on the machine; steal = taken by the hypervisor):");
        out.println();
        out.println("| scenario | busy | browser | this JVM (server, publisher) | others | steal |");
        out.println("|---|---|---|---|---|---|");
        for (final DashboardFrameBenchmark.Result r : results) {
            final CoreShare.Share c = r.cores();
            out.printf(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% |%n", name(r),
                    c.busyPercent(), c.browserPercent(), c.selfPercent(), c.othersPercent(), c.stealPercent());
        }
    }

    private static String name(final DashboardFrameBenchmark.Result r) {
        return r.paused() ? r.scenario() + " (**not valid: this JVM was paused meanwhile**)" : r.scenario();
    }

    private static String topFunctions(final Map<String, Object> byFunction) {
        if (byFunction == null || byFunction.isEmpty()) {
            return "–";
        }
        return byFunction.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, Object> e) -> num(byFunction, e.getKey()))
                        .reversed())
                .limit(4)
                .map(e -> String.format(Locale.ROOT, "`%s` %.0f", e.getKey(), num(byFunction, e.getKey())))
                .collect(Collectors.joining(", "));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Map<String, Object> page, final String key) {
        return (Map<String, Object>) page.get(key);
    }

    private static double num(final Map<String, Object> page, final String key) {
        final Object value = page.get(key);
        return value == null ? 0 : ((Number) value).doubleValue();
    }
}
