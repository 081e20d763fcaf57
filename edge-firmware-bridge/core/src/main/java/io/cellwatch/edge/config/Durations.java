package io.cellwatch.edge.config;

import java.time.Duration;

/** Durations as an admin writes them: {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(final String text) {
        final String t = text.strip();
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("is not a duration (e.g. 500ms, 2s, 5m, 1h)");
        }
        final long amount = Long.parseLong(t.substring(0, split));
        return switch (t.substring(split).strip()) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("is not a duration (e.g. 500ms, 2s, 5m, 1h)");
        };
    }

    static String format(final Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
