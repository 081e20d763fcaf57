package io.cellwatch.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level scalar fields of a foreign JSON object payload, in order (the first of a repeated name wins):
 * numbers, strings and booleans. Nested objects, arrays and nulls are skipped. The one JSON reader of foreign
 * payloads, for the server and the gateway. Lives for one publish.
 */
final class ForeignPayload {

    private static final JsonFactory JSON = new JsonFactory();
    /** Whole numbers below this are ids as their digits ({@code 12.0} is {@code 12}); doubles are exact up to 2^53. */
    private static final double WHOLE_BELOW = 1e15;

    /** What a field holds. */
    enum Kind { NUMBER, STRING, BOOLEAN }

    /**
     * A scalar field.
     *
     * @param text   the JSON text of a number, the string, or {@code true}/{@code false}
     * @param number the number, 1/0 for a boolean, NaN for a string; may be infinite ({@code 1e999})
     */
    record Field(String text, double number, Kind kind) {

        /** Usable as a metric value: a finite number or a boolean. */
        boolean metric() {
            return kind != Kind.STRING && Double.isFinite(number);
        }

        /**
         * The field as an id, or {@code null} (absent): a string stripped (blank is absent), a whole number as its
         * digits ({@code 12} and {@code 12.0} are both {@code 12}), another number as written; never a boolean.
         */
        String id() {
            return switch (kind) {
                case STRING -> text.isBlank() ? null : text.strip();
                case NUMBER -> number == Math.rint(number) && Math.abs(number) < WHOLE_BELOW
                        ? Long.toString((long) number) : text;
                case BOOLEAN -> null;
            };
        }
    }

    private final Map<String, Field> fields;

    private ForeignPayload(final Map<String, Field> fields) {
        this.fields = fields;
    }

    /** No fields: how the ids of a publish without payload (a retained clear) resolve. */
    static ForeignPayload empty() {
        return new ForeignPayload(Map.of());
    }

    static ForeignPayload parse(final ByteBuffer payload, final int maxBytes) throws Unmapped {
        final int size = payload == null ? 0 : payload.remaining();
        if (size == 0) {
            throw new Unmapped(MappingFault.EMPTY_PAYLOAD, "payload is empty");
        }
        if (size > maxBytes) {
            throw new Unmapped(MappingFault.OVERSIZE, "payload is " + size + " bytes; at most " + maxBytes
                    + " are accepted");
        }
        final Map<String, Field> fields = new LinkedHashMap<>();
        try (JsonParser parser = parser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Unmapped(MappingFault.NOT_JSON, "a mapped topic needs a JSON object payload");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if (value == null) {
                    throw new Unmapped(MappingFault.NOT_JSON, "payload ends inside the JSON object");
                }
                switch (value) {
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                            fields.putIfAbsent(name, new Field(parser.getText(), parser.getDoubleValue(), Kind.NUMBER));
                    case VALUE_STRING -> fields.putIfAbsent(name, new Field(parser.getText(), Double.NaN, Kind.STRING));
                    case VALUE_TRUE -> fields.putIfAbsent(name, new Field("true", 1, Kind.BOOLEAN));
                    case VALUE_FALSE -> fields.putIfAbsent(name, new Field("false", 0, Kind.BOOLEAN));
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new Unmapped(MappingFault.NOT_JSON, "payload has content after the JSON object");
            }
        } catch (final JsonParseException e) {
            throw new Unmapped(MappingFault.NOT_JSON, "payload is not valid JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new Unmapped(MappingFault.NOT_JSON, "payload is not valid JSON: " + e.getMessage());
        }
        return new ForeignPayload(fields);
    }

    private static JsonParser parser(final ByteBuffer payload) throws IOException {
        if (payload.hasArray()) {
            return JSON.createParser(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
        }
        final byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return JSON.createParser(bytes);
    }

    Field field(final String name) {
        return fields.get(name);
    }

    Map<String, Field> fields() {
        return fields;
    }
}
