package io.cellwatch.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A plant's retained metadata, {@code …/plants/{id}/meta} ({@link PayloadWriter#plantMeta} writes it), as read back:
 * the name, location and the client ids of the plant's gateways, or the first rule the payload breaks (then no
 * location).
 *
 * @param path  the plant's node
 * @param name  the plant's name, if given and valid
 * @param lat   latitude, -90..90, or {@code null} on an error
 * @param lon      longitude, -180..180, or {@code null} on an error
 * @param packRatedAh the rated capacity of each of the plant's packs in Ah (field {@code packRatedAh}), if given; the
 *                 analytics' state of health is the measured capacity over it
 * @param gateways client ids of the gateways that feed the plant (field {@code gateways}), kept even when the
 *                 location is missing or wrong; empty if none are named or the list breaks a rule
 * @param error    what is wrong with the payload, or {@code null}
 */
public record PlantMeta(String path, String name, Double lat, Double lon, List<String> gateways, Double packRatedAh,
                        String error) {

    /** The longest name accepted. */
    public static final int MAX_NAME = 200;
    /** The largest rated pack capacity accepted, Ah. */
    public static final double MAX_RATED_AH = 1_000_000;
    /** The most gateways a plant's meta may name. */
    public static final int MAX_GATEWAYS = 64;
    /** The longest gateway client id accepted (as long as MQTT allows in practice for ids cellwatch names). */
    public static final int MAX_GATEWAY_ID = 128;

    public PlantMeta {
        gateways = List.copyOf(gateways);
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** Reads {@code payload} (not consumed) as the metadata of the plant at {@code path}; never throws. */
    public static PlantMeta parse(final String path, final ByteBuffer payload) {
        final ByteBuffer copy = payload.asReadOnlyBuffer();
        final byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        final Fields fields = new Fields();
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return error(path, null, List.of(), "meta: not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (field) {
                    case "name" -> {
                        fields.nameIsText = value == JsonToken.VALUE_STRING;
                        fields.name = fields.nameIsText ? parser.getText() : null;
                    }
                    case "gateways" -> fields.gateways = gateways(parser, value);
                    case "lat" -> fields.lat = number(parser, value);
                    case "lon" -> fields.lon = number(parser, value);
                    case "packRatedAh" -> {
                        fields.ratedGiven = true;
                        fields.packRatedAh = number(parser, value);
                    }
                    default -> { }
                }
                parser.skipChildren();
            }
        } catch (final IOException e) {
            return error(path, null, List.of(), "meta: not JSON");
        }
        if (!fields.nameIsText || fields.name != null && fields.name.length() > MAX_NAME) {
            return error(path, null, List.of(), "meta: name must be text of at most " + MAX_NAME + " characters");
        }
        if (fields.gateways == null) {
            return error(path, fields.name, List.of(), "meta: gateways must be a list of at most " + MAX_GATEWAYS
                    + " client ids, each text of 1 to " + MAX_GATEWAY_ID + " characters");
        }
        if (fields.lat == null || fields.lat < -90 || fields.lat > 90) {
            return error(path, fields.name, fields.gateways, "meta: lat must be a number from -90 to 90");
        }
        if (fields.lon == null || fields.lon < -180 || fields.lon > 180) {
            return error(path, fields.name, fields.gateways, "meta: lon must be a number from -180 to 180");
        }
        if (fields.ratedGiven && (fields.packRatedAh == null || !(fields.packRatedAh > 0)
                || fields.packRatedAh > MAX_RATED_AH)) {
            return error(path, fields.name, fields.gateways, "meta: packRatedAh must be a number of Ah above 0 and at "
                    + "most " + (long) MAX_RATED_AH);
        }
        return new PlantMeta(path, fields.name, fields.lat, fields.lon, fields.gateways, fields.packRatedAh, null);
    }

    /** The gateway ids of a {@code gateways} array, or {@code null} if it is not a list of acceptable ids. */
    private static List<String> gateways(final JsonParser parser, final JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return null;
        }
        final List<String> ids = new ArrayList<>();
        boolean valid = true;
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            if (item == null) {
                throw new IOException("the gateways list is cut short");
            }
            if (item == JsonToken.VALUE_STRING && parser.getTextLength() >= 1
                    && parser.getTextLength() <= MAX_GATEWAY_ID && ids.size() < MAX_GATEWAYS) {
                ids.add(parser.getText());
            } else {
                valid = false;
                parser.skipChildren();
            }
        }
        return valid ? ids : null;
    }

    private static Double number(final JsonParser parser, final JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT
                ? parser.getDoubleValue() : null;
    }

    private static PlantMeta error(final String path, final String name, final List<String> gateways,
                                   final String error) {
        return new PlantMeta(path, name, null, null, gateways, null, error);
    }

    /** The fields read so far; the last of a repeated field wins. */
    private static final class Fields {
        /** No name is fine; a name that is not a JSON string is not. */
        boolean nameIsText = true;
        String name;
        Double lat;
        Double lon;
        /** None named is an empty list; {@code null} means the field broke a rule. */
        List<String> gateways = List.of();
        boolean ratedGiven;
        Double packRatedAh;
    }
}
