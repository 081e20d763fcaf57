package io.cellwatch.edge.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level fields of a JSON object payload: numbers as {@link Double}, strings, booleans as 1/0 numbers; nested
 * objects and arrays are skipped. Thread-safe.
 */
final class FlatJson {

    private static final JsonFactory JSON = new JsonFactory();

    private FlatJson() {
    }

    /** The fields in payload order, or null when the payload is not a JSON object. */
    static Map<String, Object> fields(final byte[] payload) {
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            final Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                final JsonToken token = parser.nextToken();
                if (token == JsonToken.END_OBJECT) {
                    return parser.nextToken() == null ? out : null;
                }
                if (token != JsonToken.FIELD_NAME) {
                    return null;
                }
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (value) {
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.put(name, parser.getDoubleValue());
                    case VALUE_STRING -> out.put(name, parser.getText());
                    case VALUE_TRUE -> out.put(name, 1.0);
                    case VALUE_FALSE -> out.put(name, 0.0);
                    case START_OBJECT, START_ARRAY -> parser.skipChildren();
                    default -> {
                        // null: no value
                    }
                }
            }
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }
}
