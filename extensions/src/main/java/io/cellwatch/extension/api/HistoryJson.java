package io.cellwatch.extension.api;

import io.cellwatch.extension.history.HistoryResult;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The history answer in the API's JSON contract (field names as in docs/api.md):
 * <pre>
 * {"type":"history","from":…,"to":…,"bucket_ms":…,"resolution":"raw|1m|1h",
 *  "series":[{"series":"key","points":[{"ts":…,"value":…,"min":…,"max":…,"last":…,"count":…}]}]}
 * </pre>
 * Stateless and thread-safe.
 */
final class HistoryJson {

    private static final JsonFactory JSON = new JsonFactory();

    private HistoryJson() {
    }

    static String history(final HistoryResult result) {
        final StringWriter out = new StringWriter(256 + result.series().size() * 64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "history");
            g.writeNumberField("from", result.from());
            g.writeNumberField("to", result.to());
            g.writeNumberField("bucket_ms", result.bucketMs());
            g.writeStringField("resolution", result.resolution().label());
            g.writeArrayFieldStart("series");
            for (final HistoryResult.SeriesPoints series : result.series()) {
                g.writeStartObject();
                g.writeStringField("series", series.series());
                g.writeArrayFieldStart("points");
                for (final HistoryResult.Point p : series.points()) {
                    g.writeStartObject();
                    g.writeNumberField("ts", p.ts());
                    g.writeNumberField("value", p.value());
                    g.writeNumberField("min", p.min());
                    g.writeNumberField("max", p.max());
                    g.writeNumberField("last", p.last());
                    g.writeNumberField("count", p.count());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }
}
