package io.cellwatch.extension.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The parameters of {@code GET /api/v1/history}, checked in one place with fixed messages that name the parameter.
 *
 * @param series distinct series keys, in the order given
 * @param from   start of the window, epoch ms, inclusive
 * @param to     end of the window, epoch ms, exclusive
 * @param points most points per series
 */
record HistoryRequest(List<String> series, long from, long to, int points) {

    static final int DEFAULT_POINTS = 500;
    static final int MAX_POINTS = 10_000;
    static final int MAX_SERIES = 1_000;
    static final long DEFAULT_WINDOW_MS = TimeUnit.HOURS.toMillis(1);
    // Keeps window arithmetic far from overflow; nobody charts beyond year 9999.
    private static final long LATEST_MS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    /** A parameter that is missing, malformed or out of range; the message names it. */
    static final class Invalid extends Exception {
        Invalid(final String message) {
            super(message);
        }
    }

    /**
     * Reads the request from query parameters: {@code to} defaults to {@code nowMs}, {@code from} to one hour before
     * {@code to}, {@code points} to 500.
     */
    static HistoryRequest parse(final Map<String, Deque<String>> parameters, final long nowMs) throws Invalid {
        final List<String> series = series(parameters.get("series"));
        final String toText = single(parameters, "to");
        final long to = toText == null ? nowMs : time("to", toText);
        final String fromText = single(parameters, "from");
        final long from = fromText == null ? Math.max(0, to - DEFAULT_WINDOW_MS) : time("from", fromText);
        if (from > to) {
            throw new Invalid("from: must not be after to");
        }
        return new HistoryRequest(series, from, to, points(single(parameters, "points")));
    }

    private static List<String> series(final Deque<String> values) throws Invalid {
        if (values == null || values.isEmpty()) {
            throw new Invalid("series: at least one series key is required");
        }
        final Set<String> keys = new LinkedHashSet<>(values);
        if (keys.contains("")) {
            throw new Invalid("series: must not be empty");
        }
        if (keys.size() > MAX_SERIES) {
            throw new Invalid("series: at most " + MAX_SERIES + " per request, got " + keys.size());
        }
        return List.copyOf(keys);
    }

    static String single(final Map<String, Deque<String>> parameters, final String name) throws Invalid {
        final Deque<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new Invalid(name + ": given " + values.size() + " times, expected once");
        }
        return values.getFirst();
    }

    /** Epoch milliseconds, or an ISO-8601 instant such as {@code 2026-11-25T09:00:00Z} or {@code …+01:00}. */
    static long time(final String name, final String text) throws Invalid {
        final long ms;
        try {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                ms = Long.parseLong(text);
            } else {
                // An unencoded '+' in an offset arrives as a space once the query string is decoded.
                ms = Instant.parse(text.replace(' ', '+')).toEpochMilli();
            }
        } catch (final NumberFormatException | DateTimeException | ArithmeticException e) {
            throw new Invalid(name + ": expected epoch milliseconds or an ISO-8601 instant, got '" + text + "'");
        }
        if (ms < 0 || ms > LATEST_MS) {
            throw new Invalid(name + ": must be between 1970 and 9999, got '" + text + "'");
        }
        return ms;
    }

    private static int points(final String text) throws Invalid {
        if (text == null) {
            return DEFAULT_POINTS;
        }
        final String message = "points: expected an integer from 1 to " + MAX_POINTS + ", got '" + text + "'";
        final int points;
        try {
            points = Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new Invalid(message);
        }
        if (points < 1 || points > MAX_POINTS) {
            throw new Invalid(message);
        }
        return points;
    }
}
