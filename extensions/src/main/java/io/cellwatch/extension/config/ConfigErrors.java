package io.cellwatch.extension.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every configuration error with its place, so a file is reported in one pass. Not thread-safe. */
public final class ConfigErrors {

    private final List<String> messages = new ArrayList<>();

    /** Records an error at {@code source:line} about {@code field}. Line 0 means "not from a file line". */
    public void add(final String source, final int line, final String field, final String message) {
        final String place = line > 0 ? source + ":" + line : source;
        messages.add(place + ": " + field + ": " + message);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Throws {@link ConfigException} listing every error, if there is any. */
    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new ConfigException(messages);
        }
    }
}
