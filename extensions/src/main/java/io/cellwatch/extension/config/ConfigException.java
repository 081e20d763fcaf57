package io.cellwatch.extension.config;

import java.util.List;

/** Invalid configuration; the message lists every error as {@code file:line: field: problem}. */
public final class ConfigException extends RuntimeException {

    private final List<String> errors;

    public ConfigException(final List<String> errors) {
        super("invalid configuration:\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
