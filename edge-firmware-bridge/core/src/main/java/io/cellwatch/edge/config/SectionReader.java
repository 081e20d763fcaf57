package io.cellwatch.edge.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads typed values from one section of the config file with defaults; every bad, missing or unknown key is a
 * problem with its {@code file:line}, so one run lists them all.
 */
public final class SectionReader {

    private final ConfFile file;
    private final ConfFile.Section section;
    private final ConfigProblems problems;
    private final Set<String> read = new HashSet<>();

    SectionReader(final ConfFile file, final ConfFile.Section section, final ConfigProblems problems) {
        this.file = file;
        this.section = section;
        this.problems = problems;
    }

    /** The value of {@code key}, or {@code fallback} (may be null) when absent. */
    public String string(final String key, final String fallback) {
        read.add(key);
        final ConfFile.Entry entry = section.entries().get(key);
        return entry == null ? fallback : entry.value();
    }

    /** The value of {@code key}; a problem if absent or empty. */
    public String required(final String key) {
        final String value = string(key, null);
        if (value == null || value.isEmpty()) {
            problems.at(file.file(), section.line() == 0 ? 1 : section.line(),
                    where() + "'" + key + "' is required");
            return null;
        }
        return value;
    }

    public int integer(final String key, final int fallback, final int min, final int max) {
        return parse(key, fallback, text -> {
            final int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        });
    }

    public long bytes(final String key, final long fallback) {
        return parse(key, fallback, text -> {
            final String t = text.toUpperCase(Locale.ROOT);
            long unit = 1;
            String digits = t;
            for (final String[] u : new String[][]{{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}}) {
                if (t.endsWith(u[0])) {
                    unit = Long.parseLong(u[1]);
                    digits = t.substring(0, t.length() - u[0].length()).strip();
                }
            }
            final long value = Long.parseLong(digits) * unit;
            if (value < 1_048_576) {
                throw new IllegalArgumentException("must be at least 1 MiB");
            }
            return value;
        });
    }

    /** A duration such as {@code 500ms}, {@code 2s}, {@code 5m}. */
    public Duration duration(final String key, final Duration fallback, final Duration min) {
        return parse(key, fallback, text -> {
            final Duration value = Durations.parse(text);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException("must be at least " + Durations.format(min));
            }
            return value;
        });
    }

    /** A broker URL, {@code tcp://HOST:PORT} or {@code ssl://HOST:PORT}; a problem if absent or not one. */
    public URI uri(final String key) {
        final String text = required(key);
        if (text == null) {
            return null;
        }
        final URI uri = brokerUri(text);
        if (uri == null) {
            problem(key, "'" + text + "' is not a broker URL: expected tcp://HOST:PORT or ssl://HOST:PORT");
        }
        return uri;
    }

    /**
     * A comma-separated list of broker URLs (one is a list too), in order; a problem if absent, and one per bad or
     * empty entry, naming it. The good entries are returned either way.
     */
    public List<URI> uris(final String key) {
        final String text = required(key);
        if (text == null) {
            return List.of();
        }
        final List<URI> out = new ArrayList<>();
        for (final String part : text.split(",", -1)) {
            final String entry = part.strip();
            final URI uri = entry.isEmpty() ? null : brokerUri(entry);
            if (entry.isEmpty()) {
                problem(key, "= '" + text + "' has an empty entry: expected URLs separated by commas");
            } else if (uri == null) {
                problem(key, "'" + entry + "' is not a broker URL: expected tcp://HOST:PORT or ssl://HOST:PORT");
            } else {
                out.add(uri);
            }
        }
        return out;
    }

    /** {@code text} as a {@code tcp://} or {@code ssl://} URL with a host and a valid port if any, else null. */
    private static URI brokerUri(final String text) {
        try {
            final URI uri = new URI(text);
            final boolean scheme = "tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme());
            return scheme && uri.getHost() != null && uri.getPort() <= 65_535 && uri.getPort() != 0 ? uri : null;
        } catch (final URISyntaxException e) {
            return null;
        }
    }

    /** A path; relative paths are taken from the config file's folder. */
    public Path path(final String key, final String fallback) {
        final String text = string(key, fallback);
        if (text == null || text.isEmpty()) {
            return null;
        }
        final Path base = file.file().toAbsolutePath().getParent();
        return base.resolve(text).normalize();
    }

    /** A password given inline ({@code passwordKey}) or as the content of a file ({@code fileKey}); one of them. */
    public String secret(final String passwordKey, final String fileKey) {
        final String password = string(passwordKey, null);
        final Path passwordFile = path(fileKey, null);
        if (password != null && passwordFile != null) {
            problem(fileKey, "and '" + passwordKey + "' are both set; keep one");
        } else if (passwordFile != null) {
            try {
                return java.nio.file.Files.readString(passwordFile, java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (final java.io.IOException e) {
                problem(fileKey, "cannot be read: " + passwordFile);
            }
        }
        return password;
    }

    /** Reports a problem with {@code key} at its line, the key taken as given (e.g. a rule's field). */
    public void problemAt(final ConfFile.Entry entry, final String message) {
        problems.at(file.file(), entry.line(), where() + "'" + entry.key() + "' " + message);
    }

    /** Every key starting with {@code prefix}, in file order, each marked as read. */
    public java.util.List<ConfFile.Entry> withPrefix(final String prefix) {
        final java.util.List<ConfFile.Entry> out = new java.util.ArrayList<>();
        for (final ConfFile.Entry entry : section.entries().values()) {
            if (entry.key().startsWith(prefix)) {
                read.add(entry.key());
                out.add(entry);
            }
        }
        return out;
    }

    /** Reports a problem with {@code key} at its line. */
    public void problem(final String key, final String message) {
        final ConfFile.Entry entry = section.entries().get(key);
        problems.at(file.file(), entry == null ? Math.max(1, section.line()) : entry.line(),
                where() + "'" + key + "' " + message);
    }

    /** Reports every key that no one read: a typo must not silently become a default. */
    public void rejectUnknownKeys() {
        for (final ConfFile.Entry entry : section.entries().values()) {
            if (!read.contains(entry.key())) {
                problems.at(file.file(), entry.line(), where() + "unknown key '" + entry.key() + "'"
                        + nearest(entry.key()));
            }
        }
    }

    /** {@code  (did you mean 'broker.username'?)} for a key at most two edits from one read here, else empty. */
    private String nearest(final String unknown) {
        String best = null;
        int bestDistance = 3;
        for (final String known : new java.util.TreeSet<>(read)) {
            final int distance = editDistance(unknown, known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** Levenshtein distance: inserted, deleted and replaced characters. */
    static int editDistance(final String a, final String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * One of {@code allowed}, {@code fallback} when absent. Any other value is a problem and reads as {@code fallback},
     * so checks that depend on it do not report a second, derived problem.
     */
    public String oneOf(final String key, final String fallback, final String... allowed) {
        final String value = string(key, fallback);
        if (!java.util.List.of(allowed).contains(value)) {
            problem(key, "= '" + value + "': expected " + String.join(", ", allowed));
            return fallback;
        }
        return value;
    }

    /** The problems of the whole file, for a map file the section names (a register map, a node map). */
    public ConfigProblems problems() {
        return problems;
    }

    private String where() {
        return section.name().isEmpty() ? "" : "source '" + section.name() + "': ";
    }

    private <T> T parse(final String key, final T fallback, final Function<String, T> parser) {
        final String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return parser.apply(text);
        } catch (final IllegalArgumentException e) {
            final String why = e instanceof NumberFormatException ? "is not a number" : e.getMessage();
            problem(key, "= '" + text + "': " + why);
            return fallback;
        }
    }
}
