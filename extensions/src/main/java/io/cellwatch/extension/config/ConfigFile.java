package io.cellwatch.extension.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code key = value} file read with line numbers, so every validation error can name file, line and key.
 * <p>
 * Immutable once read; typed readers ({@link #intValue}) collect errors into a {@link ConfigErrors} instead of
 * throwing, so one pass reports every mistake in the file.
 */
public final class ConfigFile {

    /**
     * One setting as given: a {@code key = value} line of the file, or an environment variable ({@code line} 0,
     * {@code origin} names the variable).
     */
    public record Entry(String key, String value, int line, String origin) {

        /** A line of the file. */
        public Entry(final String key, final String value, final int line) {
            this(key, value, line, null);
        }
    }

    /** Prefix of the environment variable of every setting: {@code http.port} is {@code CELLWATCH_HTTP_PORT}. */
    public static final String ENV_PREFIX = "CELLWATCH_";

    private final String source;
    private final Map<String, Entry> entries;

    private ConfigFile(final String source, final Map<String, Entry> entries) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** An empty file: every setting takes its default. */
    public static ConfigFile empty(final String source) {
        return new ConfigFile(source, Map.of());
    }

    /** Reads {@code file}; a missing file is {@link #empty}. Syntax errors are added to {@code errors}. */
    public static ConfigFile read(final Path file, final ConfigErrors errors) throws IOException {
        if (!Files.exists(file)) {
            return empty(file.toString());
        }
        return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8), errors);
    }

    /** Parses lines; {@code source} names the file in error messages. */
    public static ConfigFile parse(final String source, final List<String> lines, final ConfigErrors errors) {
        final Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            final int lineNo = i + 1;
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final int eq = line.indexOf('=');
            if (eq <= 0) {
                errors.add(source, lineNo, line, "expected 'key = value'");
                continue;
            }
            final String key = line.substring(0, eq).strip();
            final String value = line.substring(eq + 1).strip();
            final Entry first = entries.putIfAbsent(key, new Entry(key, value, lineNo));
            if (first != null) {
                errors.add(source, lineNo, key, "duplicate key, first set on line " + first.line());
            }
        }
        return new ConfigFile(source, entries);
    }

    /** The environment variable that overrides {@code key}: {@code http.port} → {@code CELLWATCH_HTTP_PORT}. */
    private static final String CLIENT_ENV_PREFIX = environmentName(ClusterSettings.CLIENT_PREFIX);

    public static String environmentName(final String key) {
        return ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * This file with every setting of {@code known} that {@code env} sets overridden by it (precedence: environment
     * over file). A {@code CELLWATCH_…} variable that names no setting (but {@code allowed}) is an error: a typo
     * must not silently leave the default in force.
     */
    public ConfigFile withEnvironment(final Map<String, String> env, final Set<String> known,
                                      final Set<String> allowed, final ConfigErrors errors) {
        final Map<String, Entry> merged = new LinkedHashMap<>(entries);
        final Map<String, String> keyOf = new java.util.HashMap<>();
        known.forEach(key -> keyOf.put(environmentName(key), key));
        for (final Map.Entry<String, String> variable : new java.util.TreeMap<>(env).entrySet()) {
            final String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX) || allowed.contains(name)) {
                continue;
            }
            String key = keyOf.get(name);
            if (key == null && name.startsWith(CLIENT_ENV_PREFIX) && name.length() > CLIENT_ENV_PREFIX.length()) {
                // Kafka client settings are dotted lower-case names: CELLWATCH_KAFKA_CLIENT_SASL_MECHANISM.
                key = ClusterSettings.CLIENT_PREFIX + name.substring(CLIENT_ENV_PREFIX.length())
                        .toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            }
            if (key == null) {
                errors.add("environment", 0, name, "names no setting; settings are " + new java.util.TreeSet<>(
                        keyOf.keySet()));
                continue;
            }
            merged.put(key, new Entry(key, variable.getValue().strip(), 0, "environment " + name));
        }
        return new ConfigFile(source, merged);
    }

    private String where(final Entry entry) {
        return entry.origin() != null ? entry.origin() : source;
    }

    /** The file's name as used in error messages. */
    public String source() {
        return source;
    }

    /** The entry for {@code key}, if the file sets it. */
    public Optional<Entry> entry(final String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Reports every key not in {@code known}: a typo must not silently fall back to a default. */
    public void rejectUnknownKeys(final Set<String> known, final ConfigErrors errors) {
        for (final Entry entry : entries.values()) {
            if (!known.contains(entry.key()) && !entry.key().startsWith(ClusterSettings.CLIENT_PREFIX)) {
                errors.add(source, entry.line(), entry.key(), "unknown setting; known settings are " + known);
            }
        }
    }

    /** An integer setting in {@code [min, max]}, or {@code fallback} if absent or invalid (then an error is added). */
    public int intValue(final String key, final int fallback, final int min, final int max, final ConfigErrors errors) {
        final Entry entry = entries.get(key);
        if (entry == null) {
            return fallback;
        }
        try {
            final int value = Integer.parseInt(entry.value());
            if (value < min || value > max) {
                errors.add(where(entry), entry.line(), key, "value " + value + " is outside " + min + ".." + max);
                return fallback;
            }
            return value;
        } catch (final NumberFormatException e) {
            errors.add(where(entry), entry.line(), key, "'" + entry.value() + "' is not an integer");
            return fallback;
        }
    }

    /** A boolean setting ({@code true} or {@code false}), or {@code fallback} if absent or invalid. */
    public boolean booleanValue(final String key, final boolean fallback, final ConfigErrors errors) {
        final Entry entry = entries.get(key);
        if (entry == null) {
            return fallback;
        }
        if (entry.value().equals("true") || entry.value().equals("false")) {
            return Boolean.parseBoolean(entry.value());
        }
        errors.add(where(entry), entry.line(), key, "'" + entry.value() + "' is not true or false");
        return fallback;
    }

    /** A non-empty string setting, or {@code fallback} if absent. */
    public String stringValue(final String key, final String fallback, final ConfigErrors errors) {
        final Entry entry = entries.get(key);
        if (entry == null) {
            return fallback;
        }
        if (entry.value().isEmpty()) {
            errors.add(where(entry), entry.line(), key, "value is empty");
            return fallback;
        }
        return entry.value();
    }

    /** Every key set in the file, in file order. */
    public List<String> keys() {
        return new ArrayList<>(entries.keySet());
    }
}
