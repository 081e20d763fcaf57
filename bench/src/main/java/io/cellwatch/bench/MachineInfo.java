package io.cellwatch.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/** What a figure was measured on: JVM, flags, machine, disk and library versions, as printable lines. Stateless. */
final class MachineInfo {

    private MachineInfo() {
    }

    /** The JVM, its flags, the machine and where the data lives. */
    static List<String> describe(final Path dataDir) {
        final Runtime runtime = Runtime.getRuntime();
        final List<String> lines = new ArrayList<>();
        lines.add("java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.vm.version") + ", " + System.getProperty("java.vm.vendor") + ")");
        lines.add("jvm flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        lines.add("gc: " + ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        lines.add("heap: max " + mib(runtime.maxMemory()) + " MiB");
        lines.add("os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        lines.add("cpu: " + cpuModel() + ", " + runtime.availableProcessors() + " cores available to the JVM");
        lines.add("memory: " + physicalMemory());
        lines.add("data dir: " + dataDir.toAbsolutePath() + " (" + fileStore(dataDir) + ")");
        lines.add("versions: " + versions());
        lines.add(loadAverage("start"));
        return lines;
    }

    /** The 1-minute load average now: other work on the machine shows here. */
    static String loadAverage(final String when) {
        return "load average (1 min) at " + when + ": "
                + String.format(java.util.Locale.ROOT, "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** DuckDB's own version and the settings that bound it, read on {@code connection}. */
    static String duckdb(final Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version(), current_setting('threads'),"
                     + " current_setting('memory_limit')")) {
            rows.next();
            return "duckdb: " + rows.getString(1) + ", threads " + rows.getString(2) + ", memory_limit "
                    + rows.getString(3);
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown model");
        } catch (final IOException | RuntimeException e) {
            return "unknown model";
        }
    }

    private static String physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return mib(os.getTotalMemorySize()) + " MiB physical";
        }
        return "unknown";
    }

    private static String fileStore(final Path dir) {
        try {
            final var store = Files.getFileStore(dir);
            return store.type() + " on " + store.name() + ", " + mib(store.getUsableSpace()) / 1024 + " GiB free";
        } catch (final IOException e) {
            return "file store unknown";
        }
    }

    private static String versions() {
        final Properties versions = new Properties();
        try (InputStream in = MachineInfo.class.getResourceAsStream("/bench-versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (final IOException ignored) {
            // printed as unknown
        }
        return "cellwatch " + versions.getProperty("cellwatch", "?") + ", chronicle-queue "
                + versions.getProperty("chronicle-queue", "?") + ", duckdb_jdbc "
                + versions.getProperty("duckdb_jdbc", "?") + ", hivemq-community-edition-embedded "
                + versions.getProperty("hivemq-embedded", "?") + ", hivemq-mqtt-client "
                + versions.getProperty("hivemq-mqtt-client", "?");
    }

    private static long mib(final long bytes) {
        return bytes / (1024 * 1024);
    }
}
