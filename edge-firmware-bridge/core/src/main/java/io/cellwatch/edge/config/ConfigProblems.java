package io.cellwatch.edge.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem of a gateway's config and register maps, each with its {@code file:line} or field. They are
 * listed per file (in the order the files were first named) and by line within a file, as an editor walks them.
 */
public final class ConfigProblems {

    private record Problem(String where, int line, String text) {
    }

    private final List<Problem> problems = new ArrayList<>();
    private final List<String> places = new ArrayList<>();

    /** A problem at {@code line} of {@code file}. */
    public void at(final Path file, final int line, final String message) {
        add(file.toString(), line, file + ":" + line + ": " + message);
    }

    /** A problem of a whole field or file. */
    public void field(final String where, final String message) {
        add(where, 0, where + ": " + message);
    }

    private void add(final String where, final int line, final String text) {
        if (!places.contains(where)) {
            places.add(where);
        }
        problems.add(new Problem(where, line, text));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Every problem, sorted per file and by line. */
    public List<String> list() {
        final List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt((Problem p) -> places.indexOf(p.where())).thenComparingInt(Problem::line));
        return sorted.stream().map(Problem::text).toList();
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) {
            throw new ConfigException(list());
        }
    }
}
