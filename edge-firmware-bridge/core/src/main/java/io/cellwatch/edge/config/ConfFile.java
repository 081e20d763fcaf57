package io.cellwatch.edge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's config file as written: {@code key = value} lines, {@code #} comments, and {@code [source NAME]}
 * sections, each entry with its line so every later check can name {@code file:line}.
 */
public final class ConfFile {

    /** One {@code key = value} line. */
    public record Entry(String key, String value, int line) {
    }

    /** The top part (before any section) or one {@code [source NAME]} section. */
    record Section(String name, int line, Map<String, Entry> entries) {
    }

    private final Path file;
    private final Section top;
    private final List<Section> sources;

    private ConfFile(final Path file, final Section top, final List<Section> sources) {
        this.file = file;
        this.top = top;
        this.sources = sources;
    }

    static ConfFile read(final Path file, final ConfigProblems problems) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            problems.field(file.toString(), "cannot read: " + e.getMessage());
            return new ConfFile(file, new Section("", 0, Map.of()), List.of());
        }
        final Section top = new Section("", 0, new LinkedHashMap<>());
        final List<Section> sources = new ArrayList<>();
        Section current = top;
        for (int i = 0; i < lines.size(); i++) {
            final int n = i + 1;
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                final String header = line.endsWith("]") ? line.substring(1, line.length() - 1).strip() : "";
                final String[] words = header.split("\\s+");
                if (words.length != 2 || !words[0].equals("source")) {
                    problems.at(file, n, "expected a section header '[source NAME]', found '" + line + "'");
                    current = new Section("?", n, new LinkedHashMap<>());
                    continue;
                }
                for (final Section s : sources) {
                    if (s.name().equals(words[1])) {
                        problems.at(file, n, "source '" + words[1] + "' is defined twice (first at line " + s.line() + ")");
                    }
                }
                current = new Section(words[1], n, new LinkedHashMap<>());
                sources.add(current);
                continue;
            }
            final int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.at(file, n, "expected 'key = value', found '" + line + "'");
                continue;
            }
            final String key = line.substring(0, eq).strip();
            final Entry previous = current.entries().get(key);
            if (previous != null) {
                problems.at(file, n, "'" + key + "' is set twice (first at line " + previous.line() + ")");
                continue;
            }
            current.entries().put(key, new Entry(key, line.substring(eq + 1).strip(), n));
        }
        return new ConfFile(file, top, sources);
    }

    Path file() {
        return file;
    }

    Section top() {
        return top;
    }

    List<Section> sources() {
        return sources;
    }
}
