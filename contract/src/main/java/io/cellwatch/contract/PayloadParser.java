package io.cellwatch.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses telemetry payloads by the topic contract.
 * <ul>
 *   <li>metric leaf: a bare number ({@code 3.671}) or {@code {"v":3.671,"ts":…,"seq":…}};</li>
 *   <li>node: a JSON object whose numeric fields are metrics; {@code ts} and {@code seq} are not metrics, and
 *   fields of other types (labels, nested objects) are ignored.</li>
 * </ul>
 * {@code ts} is epoch milliseconds or an ISO-8601 instant; an unreadable {@code ts} counts as absent. A payload
 * with any non-finite value is refused whole. Thread-safe.
 */
public final class PayloadParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            // Parse NaN/Infinity so they are refused as non-finite rather than as bad JSON: the clearer reason.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // Decimal numbers are most of a payload; the JDK's parser was the largest single cost of a parse.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final int maxPayloadBytes;

    public PayloadParser(final int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Parses the payload of a metric leaf. */
    public ParsedPayload parseMetric(final ByteBuffer payload) throws Rejection {
        final byte[] bytes = bytes(payload);
        final int first = firstNonBlank(bytes);
        if (first < 0) {
            throw new Rejection(RejectReason.EMPTY_PAYLOAD, "payload is blank");
        }
        if (bytes[first] == '{') {
            final ParsedObject object = parseObject(bytes, true);
            final int v = object.names.indexOf("v");
            if (v < 0) {
                throw new Rejection(RejectReason.NO_METRICS, "metric object has no numeric field 'v'");
            }
            return new ParsedPayload(null, new double[]{object.values[v]}, object.ts, object.seq);
        }
        return new ParsedPayload(null, new double[]{parseNumber(new String(bytes, StandardCharsets.UTF_8).strip())},
                ParsedPayload.NO_TS, ParsedPayload.NO_SEQ);
    }

    /** Parses the payload of a node: a JSON object of metrics. */
    public ParsedPayload parseNode(final ByteBuffer payload) throws Rejection {
        final byte[] bytes = bytes(payload);
        final int first = firstNonBlank(bytes);
        if (first < 0) {
            throw new Rejection(RejectReason.EMPTY_PAYLOAD, "payload is blank");
        }
        if (bytes[first] != '{') {
            throw new Rejection(RejectReason.BAD_JSON, "a node topic needs a JSON object of metrics");
        }
        final ParsedObject object = parseObject(bytes, false);
        if (object.names.isEmpty()) {
            throw new Rejection(RejectReason.NO_METRICS, "node payload has no numeric field");
        }
        return new ParsedPayload(object.names.toArray(new String[0]),
                Arrays.copyOf(object.values, object.names.size()), object.ts, object.seq);
    }

    /** Reads a {@code ts} given as text (MQTT 5 user property): epoch milliseconds or ISO-8601; absent if unreadable. */
    public static long parseTs(final String text) {
        final String t = text.strip();
        try {
            return Long.parseLong(t);
        } catch (final NumberFormatException notMillis) {
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (final DateTimeParseException | ArithmeticException notIso) {
                return ParsedPayload.NO_TS;
            }
        }
    }

    /** Reads a {@code seq} given as text (MQTT 5 user property). */
    public static long parseSeq(final String text) throws Rejection {
        try {
            final long seq = Long.parseLong(text.strip());
            if (seq >= 0) {
                return seq;
            }
        } catch (final NumberFormatException ignored) {
            // reported below
        }
        throw new Rejection(RejectReason.BAD_SEQ, "seq '" + text + "' is not a non-negative integer");
    }

    private byte[] bytes(final ByteBuffer payload) throws Rejection {
        final int size = payload == null ? 0 : payload.remaining();
        if (size == 0) {
            throw new Rejection(RejectReason.EMPTY_PAYLOAD, "payload is empty");
        }
        if (size > maxPayloadBytes) {
            throw new Rejection(RejectReason.OVERSIZE,
                    "payload is " + size + " bytes; at most " + maxPayloadBytes + " are accepted");
        }
        final byte[] bytes = new byte[size];
        payload.duplicate().get(bytes);
        return bytes;
    }

    private static int firstNonBlank(final byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r' && bytes[i] != '\n') {
                return i;
            }
        }
        return -1;
    }

    private static double parseNumber(final String text) throws Rejection {
        // Double.parseDouble also takes hex floats and a trailing 'd'/'f'; a gateway means neither.
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                if (text.toLowerCase(java.util.Locale.ROOT).matches("[+-]?(nan|inf|infinity)")) {
                    throw new Rejection(RejectReason.NON_FINITE, "value '" + text + "' is not finite");
                }
                throw new Rejection(RejectReason.NOT_A_NUMBER, "payload '" + abbreviate(text) + "' is not a number");
            }
        }
        final double value;
        try {
            value = Double.parseDouble(text);
        } catch (final NumberFormatException e) {
            throw new Rejection(RejectReason.NOT_A_NUMBER, "payload '" + abbreviate(text) + "' is not a number");
        }
        return finite("value", value);
    }

    private static double finite(final String name, final double value) throws Rejection {
        if (!Double.isFinite(value)) {
            throw new Rejection(RejectReason.NON_FINITE, name + " is not finite");
        }
        return value;
    }

    private static final class ParsedObject {
        /** Up to this many names, a scan finds a repeat faster than a hash set; past it, a set keeps parsing linear. */
        private static final int SCAN_LIMIT = 16;

        final List<String> names = new ArrayList<>();
        double[] values = new double[8];
        long ts = ParsedPayload.NO_TS;
        long seq = ParsedPayload.NO_SEQ;
        boolean sawTs;
        boolean sawSeq;
        private Set<String> seen;

        boolean has(final String name) {
            return seen != null ? seen.contains(name) : names.contains(name);
        }

        void add(final String name, final double value) {
            if (names.size() == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[names.size()] = value;
            names.add(name);
            if (seen != null) {
                seen.add(name);
            } else if (names.size() > SCAN_LIMIT) {
                seen = new HashSet<>(names);
            }
        }
    }

    private static ParsedObject parseObject(final byte[] bytes, final boolean metricLeaf) throws Rejection {
        final ParsedObject object = new ParsedObject();
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Rejection(RejectReason.BAD_JSON, "payload is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (name) {
                    case "ts" -> {
                        object.sawTs = once(object.sawTs, name);
                        object.ts = readTs(parser, value);
                    }
                    case "seq" -> {
                        object.sawSeq = once(object.sawSeq, name);
                        object.seq = readSeq(parser, value);
                    }
                    default -> readMetric(parser, value, name, metricLeaf, object);
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new Rejection(RejectReason.BAD_JSON, "payload has content after the JSON object");
            }
            return object;
        } catch (final JsonParseException e) {
            throw new Rejection(RejectReason.BAD_JSON, "payload is not valid JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new Rejection(RejectReason.BAD_JSON, "payload is not valid JSON: " + e.getMessage());
        }
    }

    private static boolean once(final boolean seen, final String name) throws Rejection {
        if (seen) {
            throw new Rejection(RejectReason.BAD_JSON, "field '" + name + "' appears twice");
        }
        return true;
    }

    private static void readMetric(final JsonParser parser, final JsonToken value, final String name,
                                   final boolean metricLeaf, final ParsedObject object) throws IOException, Rejection {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            if (metricLeaf && !name.equals("v")) {
                return;
            }
            if (!metricLeaf) {
                TopicResolver.checkMetricName(name);
            }
            if (object.has(name)) {
                throw new Rejection(RejectReason.BAD_JSON, "field '" + name + "' appears twice");
            }
            final double number = parser.getDoubleValue();
            if (!Double.isFinite(number)) {
                throw new Rejection(RejectReason.NON_FINITE, "'" + name + "' is not finite");
            }
            object.add(name, number);
        } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            parser.skipChildren();
        } else if (metricLeaf && name.equals("v")) {
            throw new Rejection(RejectReason.NOT_A_NUMBER, "'v' is not a number");
        }
    }

    private static long readTs(final JsonParser parser, final JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            final double ts = parser.getDoubleValue();
            return Double.isFinite(ts) ? (long) ts : ParsedPayload.NO_TS;
        }
        if (value == JsonToken.VALUE_STRING) {
            return parseTs(parser.getText());
        }
        parser.skipChildren();
        return ParsedPayload.NO_TS;
    }

    private static long readSeq(final JsonParser parser, final JsonToken value) throws IOException, Rejection {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            try {
                final long seq = parser.getLongValue();
                if (seq >= 0) {
                    return seq;
                }
            } catch (final InputCoercionException beyondLong) {
                // reported below
            }
        }
        throw new Rejection(RejectReason.BAD_SEQ, "seq is not a non-negative integer");
    }

    private static String abbreviate(final String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "…";
    }
}
