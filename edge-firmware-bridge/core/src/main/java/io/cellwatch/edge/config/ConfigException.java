package io.cellwatch.edge.config;

import java.util.List;

/** A gateway config that cannot be used; the message lists every problem, one a line. */
public final class ConfigException extends Exception {

    private final List<String> problems;

    public ConfigException(final List<String> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n" + String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
