package io.cellwatch.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway's health report, the retained payload of {@code …/plants/{p}/gateways/{clientId}/status/health}
 * ({@link TopicBuilder#gatewayHealth}): its overall state (the worst of its sources) and, per source, the state, a
 * few words why, and the requests that keep failing with the series they keep away. {@link PayloadWriter#gatewayHealth}
 * writes it within the bounds below; {@link #parse} reads it back and refuses what breaks them. Immutable.
 *
 * @param state       {@code ok}, {@code degraded}, {@code failing} or another word of a source's state
 * @param sources     the gateway's sources, in config order
 * @param moreSources sources left out of {@code sources} by the bounds
 */
public record GatewayHealth(String state, List<Source> sources, int moreSources) {

    /** The largest report the server takes, in bytes; the writer stays below it. */
    public static final int MAX_BYTES = 16_384;
    /** The most sources listed. */
    public static final int MAX_SOURCES = 32;
    /** The most problems listed, over all sources. */
    public static final int MAX_PROBLEMS = 32;
    /** The most missing series named per problem. */
    public static final int MAX_SERIES = 64;
    /** The longest text (a name, state, detail, request, error or series) in characters. */
    public static final int MAX_TEXT = 256;

    private static final JsonFactory JSON = new JsonFactory();

    public GatewayHealth {
        sources = List.copyOf(sources);
    }

    /**
     * One source's health.
     *
     * @param problems     the requests that keep failing, empty when none
     * @param moreProblems problems left out of {@code problems} by the bounds
     */
    public record Source(String name, String state, String detail, List<Problem> problems, int moreProblems) {
        public Source {
            problems = List.copyOf(problems);
        }
    }

    /**
     * One request of a source that keeps failing.
     *
     * @param request  what fails, e.g. {@code unit 1 holding 1+16 (lines 2-17)}
     * @param error    the device's answer or the I/O error
     * @param failures polls in a row it failed
     * @param missing  how many series it keeps away, named or not
     * @param series   the first of them ({@code path/metric} under the plant), at most {@link #MAX_SERIES}
     */
    public record Problem(String request, String error, long failures, int missing, List<String> series) {
        public Problem {
            series = List.copyOf(series);
        }
    }

    /** The worse of two states: {@code failing} over any other word over {@code degraded} over {@code ok}. */
    public static String worse(final String a, final String b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(final String state) {
        return switch (state) {
            case "ok" -> 0;
            case "degraded" -> 1;
            case "failing" -> 3;
            default -> 2;
        };
    }

    /**
     * Reads a report (the buffer is not consumed).
     *
     * @throws Rejection {@link RejectReason#OVERSIZE} over {@link #MAX_BYTES}, {@link RejectReason#BAD_JSON} when it is
     *                   not a report or breaks a bound; the message says which
     */
    public static GatewayHealth parse(final ByteBuffer payload) throws Rejection {
        if (payload.remaining() > MAX_BYTES) {
            throw new Rejection(RejectReason.OVERSIZE, "gateway health report of " + payload.remaining()
                    + " bytes; at most " + MAX_BYTES + " are allowed");
        }
        final byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        try (JsonParser parser = JSON.createParser(bytes)) {
            final GatewayHealth health = report(parser);
            if (parser.nextToken() != null) {
                throw bad("text after the report");
            }
            return health;
        } catch (final IOException e) {
            throw bad("not JSON");
        }
    }

    private static GatewayHealth report(final JsonParser parser) throws IOException, Rejection {
        expect(parser.nextToken(), JsonToken.START_OBJECT, "not a JSON object");
        String state = null;
        List<Source> sources = null;
        int moreSources = 0;
        final int[] problems = {0};
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            final JsonToken value = parser.nextToken();
            switch (field) {
                case "state" -> state = text(parser, value, "state");
                case "sources" -> {
                    expect(value, JsonToken.START_ARRAY, "sources must be a list");
                    sources = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (sources.size() == MAX_SOURCES) {
                            throw bad("more than " + MAX_SOURCES + " sources");
                        }
                        sources.add(source(parser, problems));
                    }
                }
                case "moreSources" -> moreSources = count(parser, value, "moreSources");
                default -> parser.skipChildren();
            }
        }
        if (state == null || sources == null) {
            throw bad("state and sources are required");
        }
        return new GatewayHealth(state, sources, moreSources);
    }

    private static Source source(final JsonParser parser, final int[] problemsSoFar) throws IOException, Rejection {
        expect(parser.currentToken(), JsonToken.START_OBJECT, "a source must be an object");
        String name = null;
        String state = null;
        String detail = "";
        final List<Problem> problems = new ArrayList<>();
        int moreProblems = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            final JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> name = text(parser, value, "name");
                case "state" -> state = text(parser, value, "state");
                case "detail" -> detail = text(parser, value, "detail");
                case "problems" -> {
                    expect(value, JsonToken.START_ARRAY, "problems must be a list");
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (++problemsSoFar[0] > MAX_PROBLEMS) {
                            throw bad("more than " + MAX_PROBLEMS + " problems");
                        }
                        problems.add(problem(parser));
                    }
                }
                case "moreProblems" -> moreProblems = count(parser, value, "moreProblems");
                default -> parser.skipChildren();
            }
        }
        if (name == null || state == null) {
            throw bad("a source needs a name and a state");
        }
        return new Source(name, state, detail, problems, moreProblems);
    }

    private static Problem problem(final JsonParser parser) throws IOException, Rejection {
        expect(parser.currentToken(), JsonToken.START_OBJECT, "a problem must be an object");
        String request = null;
        String error = "";
        long failures = 0;
        int missing = 0;
        final List<String> series = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String field = parser.currentName();
            final JsonToken value = parser.nextToken();
            switch (field) {
                case "request" -> request = text(parser, value, "request");
                case "error" -> error = text(parser, value, "error");
                case "failures" -> failures = count(parser, value, "failures");
                case "missing" -> missing = count(parser, value, "missing");
                case "series" -> {
                    expect(value, JsonToken.START_ARRAY, "series must be a list");
                    for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                        if (series.size() == MAX_SERIES) {
                            throw bad("more than " + MAX_SERIES + " series named in a problem");
                        }
                        series.add(text(parser, item, "a series"));
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (request == null) {
            throw bad("a problem needs its request");
        }
        return new Problem(request, error, failures, Math.max(missing, series.size()), series);
    }

    private static String text(final JsonParser parser, final JsonToken value, final String what)
            throws IOException, Rejection {
        if (value != JsonToken.VALUE_STRING) {
            throw bad(what + " must be text");
        }
        if (parser.getTextLength() > MAX_TEXT) {
            throw bad(what + " is longer than " + MAX_TEXT + " characters");
        }
        return parser.getText();
    }

    private static int count(final JsonParser parser, final JsonToken value, final String what)
            throws IOException, Rejection {
        if (value != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0
                || parser.getLongValue() > Integer.MAX_VALUE) {
            throw bad(what + " must be a count");
        }
        return parser.getIntValue();
    }

    private static void expect(final JsonToken token, final JsonToken wanted, final String otherwise)
            throws Rejection {
        if (token != wanted) {
            throw bad(otherwise);
        }
    }

    private static Rejection bad(final String why) {
        return new Rejection(RejectReason.BAD_JSON, "gateway health report: " + why);
    }
}
