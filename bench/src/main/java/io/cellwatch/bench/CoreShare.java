package io.cellwatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who used the browser's CPUs during a scenario, from /proc: the browser's processes, this JVM (when it shares those
 * CPUs), every other process on the machine, and the hypervisor's steal. A frame the page did not delay may still be
 * late because the browser waited for its core. Linux only.
 */
final class CoreShare {

    /** Cumulative ticks at one moment. */
    record Snapshot(long busy, long steal, long total, long browser, long self) {
    }

    /** Shares of the browser's CPUs' time between two snapshots, in percent of one CPU's time × CPUs. */
    record Share(double busyPercent, double browserPercent, double selfPercent, double othersPercent,
                 double stealPercent) {
    }

    private final Set<Integer> cpus;
    private final String browserMarker;

    CoreShare(final Set<Integer> cpus, final String browserMarker) {
        this.cpus = Set.copyOf(cpus);
        this.browserMarker = browserMarker;
    }

    Snapshot take() throws IOException {
        long busy = 0;
        long steal = 0;
        long total = 0;
        for (final String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8)) {
            if (!line.matches("cpu\\d+ .*")) {
                continue;
            }
            final String[] f = line.trim().split("\\s+");
            if (!cpus.contains(Integer.parseInt(f[0].substring(3)))) {
                continue;
            }
            // user nice system idle iowait irq softirq steal
            final long user = Long.parseLong(f[1]) + Long.parseLong(f[2]);
            final long system = Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
            final long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            final long stolen = Long.parseLong(f[8]);
            busy += user + system;
            steal += stolen;
            total += user + system + idle + stolen;
        }
        return new Snapshot(busy, steal, total, browserTicks(), processTicks(Path.of("/proc/self")));
    }

    /**
     * The shares between {@code a} and {@code b}.
     *
     * @param selfOnTheseCpus whether this JVM may run on the browser's CPUs (then its time is not "others")
     */
    static Share between(final Snapshot a, final Snapshot b, final boolean selfOnTheseCpus) {
        final double total = Math.max(1, b.total() - a.total());
        final double busy = b.busy() - a.busy();
        final double browser = b.browser() - a.browser();
        final double self = selfOnTheseCpus ? b.self() - a.self() : 0;
        final double others = Math.max(0, busy - browser - self);
        return new Share(100 * busy / total, 100 * browser / total, 100 * self / total, 100 * others / total,
                100 * (b.steal() - a.steal()) / total);
    }

    private long browserTicks() throws IOException {
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (final Path proc : (Iterable<Path>) procs.filter(p -> p.getFileName().toString().matches("\\d+"))::iterator) {
                try {
                    if (Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8).contains(browserMarker)) {
                        ticks += processTicks(proc);
                    }
                } catch (final IOException gone) {
                    // The process ended while we looked.
                }
            }
        }
        return ticks;
    }

    // utime + stime of all the process's threads: fields 14 and 15 of /proc/<pid>/stat, after the ")" of the name.
    private static long processTicks(final Path proc) throws IOException {
        final String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
        final List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        return Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
    }
}
