package io.cellwatch.edge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV map files a source reads (a register map, a node map): a header line, {@code #} comments, one entry a
 * line, each (node path, metric) mapped once. Every problem is reported as {@code file:line}; an entry with a
 * problem is left out, so nothing is returned half-checked.
 */
public final class MetricMapFile {

    /** What every map entry has: its line and the metric of the node it feeds. */
    public interface Entry {
        int line();

        String path();

        String metric();
    }

    /** Reads one data line whose columns are already split and stripped; null after reporting its problems. */
    @FunctionalInterface
    public interface EntryReader<T extends Entry> {
        T read(Path file, int line, String[] columns, ConfigProblems problems);
    }

    private MetricMapFile() {
    }

    /**
     * The entries of {@code file}.
     *
     * @param kind   what the file is, for messages ({@code "register map"})
     * @param header the header line, its columns separated by commas; every data line has as many
     */
    public static <T extends Entry> List<T> read(final Path file, final String kind, final String header,
                                                 final EntryReader<T> reader, final ConfigProblems problems) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            problems.field(file.toString(), "cannot read the " + kind + ": " + e.getMessage());
            return List.of();
        }
        final int columns = header.split(",").length;
        final List<T> entries = new ArrayList<>();
        final Map<String, Integer> seen = new HashMap<>();
        boolean headerSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                headerSeen = true;
                if (!line.replace(" ", "").equals(header)) {
                    problems.at(file, i + 1, "expected the header '" + header + "'");
                }
                continue;
            }
            final String[] f = line.split(",", -1);
            if (f.length != columns) {
                problems.at(file, i + 1, "expected " + columns + " columns (" + header + "), found " + f.length);
                continue;
            }
            for (int c = 0; c < f.length; c++) {
                f[c] = f[c].strip();
            }
            final T entry = reader.read(file, i + 1, f, problems);
            if (entry != null) {
                final Integer first = seen.putIfAbsent(entry.path() + "|" + entry.metric(), entry.line());
                if (first != null) {
                    problems.at(file, entry.line(), "metric '" + entry.metric() + "' of '" + entry.path()
                            + "' is already mapped at line " + first);
                } else {
                    entries.add(entry);
                }
            }
        }
        if (!headerSeen || entries.isEmpty() && problems.isEmpty()) {
            problems.field(file.toString(), "the " + kind + " has no entries");
        }
        return entries;
    }

    /** A map column holding a finite number; {@code fallback} when empty or (after reporting it) unreadable. */
    public static double decimal(final Path file, final int line, final String column, final String text,
                                 final double fallback, final ConfigProblems problems) {
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            final double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (final NumberFormatException ignored) {
            // reported below
        }
        problems.at(file, line, column + " '" + text + "': expected a finite number");
        return fallback;
    }
}
