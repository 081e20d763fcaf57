package io.cellwatch.edge.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a gateway's config and register maps, each with its {@code file:line} or field. */
public final class ConfigProblems {

    private final List<String> problems = new ArrayList<>();

    /** A problem at {@code line} of {@code file}. */
    public void at(final Path file, final int line, final String message) {
        problems.add(file + ":" + line + ": " + message);
    }

    /** A problem of a whole field or file. */
    public void field(final String where, final String message) {
        problems.add(where + ": " + message);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> list() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
