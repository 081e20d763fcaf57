package io.cellwatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Splits the machine's CPUs between this JVM (server and publisher) and a browser with util-linux {@code taskset}, so
 * the two do not preempt each other: this process's threads are pinned in place, the browser is started through a
 * wrapper script that execs it pinned. Linux only.
 */
final class CpuPinning {

    private static final Path TASKSET = Path.of("/usr/bin/taskset");

    private CpuPinning() {
    }

    /** Pins every thread of this process (threads started later inherit it) to {@code cpus}, e.g. "0". */
    static void pinThisProcess(final String cpus) throws IOException, InterruptedException {
        run(List.of(TASKSET.toString(), "--all-tasks", "--cpu-list", "-p", cpus,
                String.valueOf(ProcessHandle.current().pid())));
    }

    /** An executable script in {@code dir} that runs {@code binary} with its arguments, pinned to {@code cpus}. */
    static Path wrapper(final Path dir, final Path binary, final String cpus) throws IOException {
        final Path script = dir.resolve("pinned-" + binary.getFileName());
        Files.writeString(script, "#!/bin/sh\nexec " + TASKSET + " --cpu-list " + cpus + " " + binary + " \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** The CPUs allowed to the processes whose command line contains {@code marker}, e.g. "5 processes on CPUs 1". */
    static String describe(final String marker) throws IOException {
        final TreeSet<String> cpus = new TreeSet<>();
        int count = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (final Path proc : (Iterable<Path>) procs.filter(p -> p.getFileName().toString().matches("\\d+"))::iterator) {
                try {
                    final String cmdline = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8);
                    if (!cmdline.contains(marker)) {
                        continue;
                    }
                    for (final String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
                        if (line.startsWith("Cpus_allowed_list:")) {
                            cpus.add(line.substring(line.indexOf(':') + 1).trim());
                            count++;
                        }
                    }
                } catch (final IOException gone) {
                    // The process ended while we looked.
                }
            }
        }
        return count + " processes on CPUs " + String.join(" / ", cpus);
    }

    /** The CPUs this process may run on, as the kernel reports them. */
    static String thisProcess() throws IOException {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "?";
    }

    private static void run(final List<String> command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }
}
