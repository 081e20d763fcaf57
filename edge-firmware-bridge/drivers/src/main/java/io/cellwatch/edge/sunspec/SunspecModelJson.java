package io.cellwatch.edge.sunspec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a SunSpec {@code model_N.json} (the sunspec/models repository's format) into a {@link SunspecModel}: point
 * offsets are the running sum of the points' sizes, in file order, as the SunSpec information model specification
 * lays models out. Only what the battery models need: a fixed block and at most one repeating group in it.
 */
public final class SunspecModelJson {

    private static final JsonFactory JSON = new JsonFactory();

    private SunspecModelJson() {
    }

    /** The model in the driver's resources ({@code models/model_N.json}). */
    public static SunspecModel resource(final int id) {
        final String file = "models/model_" + id + ".json";
        try (InputStream in = SunspecModelJson.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("no SunSpec model " + id + " (" + file + ") in the gateway");
            }
            return parse(file, in);
        } catch (final IOException e) {
            throw new UncheckedIOException(file, e);
        }
    }

    /** Parses {@code in}, named {@code file} in errors. */
    public static SunspecModel parse(final String file, final InputStream in) throws IOException {
        final Object tree;
        try (JsonParser parser = JSON.createParser(in)) {
            parser.nextToken();
            tree = value(parser);
        }
        final Map<String, Object> model = object(tree, file);
        final int id = number(model.get("id"), file + ": id");
        final Map<String, Object> group = object(model.get("group"), file + ": group");
        final List<SunspecModel.Point> points = points(group, file);
        if (points.size() < 2 || !points.get(0).name().equals("ID") || !points.get(1).name().equals("L")) {
            throw new IllegalArgumentException(file + ": the model's first points must be ID and L");
        }
        SunspecModel.Group repeating = null;
        for (final Object g : list(group.get("groups"))) {
            final Map<String, Object> sub = object(g, file + ": groups");
            final String name = String.valueOf(sub.get("name"));
            if (repeating != null || !list(sub.get("groups")).isEmpty()) {
                throw new IllegalArgumentException(file + ": group '" + name + "': more than one repeating group,"
                        + " or nested groups, are not supported");
            }
            final List<SunspecModel.Point> blockPoints = points(sub, file + ": group '" + name + "'");
            final SunspecModel.Point last = blockPoints.get(blockPoints.size() - 1);
            final Object count = sub.get("count");
            repeating = new SunspecModel.Group(name, count instanceof String point ? point : countNumber(count,
                    file, name), blockPoints, last.offset() + last.size());
        }
        return new SunspecModel(id, String.valueOf(group.get("name")), points, repeating);
    }

    private static String countNumber(final Object count, final String file, final String group) {
        if (count instanceof Number n && n.intValue() == 0) {
            return null;
        }
        throw new IllegalArgumentException(file + ": group '" + group + "': count " + count
                + " is neither a point name nor 0");
    }

    private static List<SunspecModel.Point> points(final Map<String, Object> group, final String where) {
        final List<SunspecModel.Point> points = new ArrayList<>();
        int offset = 0;
        for (final Object p : list(group.get("points"))) {
            final Map<String, Object> point = object(p, where + ": points");
            final String name = String.valueOf(point.get("name"));
            final int size = number(point.get("size"), where + ": point '" + name + "': size");
            final List<SunspecModel.Symbol> symbols = new ArrayList<>();
            for (final Object s : list(point.get("symbols"))) {
                final Map<String, Object> symbol = object(s, where + ": point '" + name + "': symbols");
                symbols.add(new SunspecModel.Symbol(String.valueOf(symbol.get("name")),
                        number(symbol.get("value"), where + ": point '" + name + "': symbol value")));
            }
            points.add(new SunspecModel.Point(name, String.valueOf(point.get("type")), offset, size,
                    point.get("sf") instanceof String sf ? sf : null,
                    point.get("units") instanceof String units ? units : "", symbols));
            offset += size;
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException(where + ": no points");
        }
        return points;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final Object value, final String where) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(where + ": not a JSON object");
    }

    private static List<?> list(final Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static int number(final Object value, final String where) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalArgumentException(where + ": not a number: " + value);
    }

    /** The JSON value at the parser's current token, as maps, lists, strings, numbers, booleans and null. */
    private static Object value(final JsonParser parser) throws IOException {
        final JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            final Map<String, Object> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String field = parser.currentName();
                parser.nextToken();
                map.put(field, value(parser));
            }
            return map;
        }
        if (token == JsonToken.START_ARRAY) {
            final List<Object> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(value(parser));
            }
            return items;
        }
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }
}
