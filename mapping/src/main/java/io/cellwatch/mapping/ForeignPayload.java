package io.cellwatch.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level scalar fields of a foreign JSON object payload, in order: numbers (kept as their JSON text and as a
 * double) and strings. Nested objects, arrays, booleans and nulls are skipped. Lives for one publish.
 */
final class ForeignPayload {

    private static final JsonFactory JSON = new JsonFactory();

    /** A scalar field: {@code number} is NaN for a string. */
    record Field(String text, double number, boolean numeric) {
    }

    private final Map<String, Field> fields;

    private ForeignPayload(final Map<String, Field> fields) {
        this.fields = fields;
    }

    /** No fields: how the ids of a publish without payload (a retained clear) resolve. */
    static ForeignPayload empty() {
        return new ForeignPayload(Map.of());
    }

    static ForeignPayload parse(final ByteBuffer payload, final int maxBytes) throws Rejection {
        final int size = payload == null ? 0 : payload.remaining();
        if (size == 0) {
            throw new Rejection(RejectReason.EMPTY_PAYLOAD, "payload is empty");
        }
        if (size > maxBytes) {
            throw new Rejection(RejectReason.OVERSIZE, "payload is " + size + " bytes; at most " + maxBytes
                    + " are accepted");
        }
        final byte[] bytes = new byte[size];
        payload.duplicate().get(bytes);
        final Map<String, Field> fields = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Rejection(RejectReason.BAD_JSON, "a mapped topic needs a JSON object payload");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                    fields.putIfAbsent(name, new Field(parser.getText(), parser.getDoubleValue(), true));
                } else if (value == JsonToken.VALUE_STRING) {
                    fields.putIfAbsent(name, new Field(parser.getText(), Double.NaN, false));
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new Rejection(RejectReason.BAD_JSON, "payload has content after the JSON object");
            }
        } catch (final JsonParseException e) {
            throw new Rejection(RejectReason.BAD_JSON, "payload is not valid JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new Rejection(RejectReason.BAD_JSON, "payload is not valid JSON: " + e.getMessage());
        }
        return new ForeignPayload(fields);
    }

    Field field(final String name) {
        return fields.get(name);
    }

    Map<String, Field> fields() {
        return fields;
    }
}
