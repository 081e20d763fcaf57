package io.cellwatch.extension.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.cellwatch.extension.analytics.CellReport;
import io.cellwatch.extension.analytics.DayThroughput;
import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.analytics.ResistanceEstimate;
import io.cellwatch.extension.analytics.SpreadBucket;
import io.cellwatch.extension.history.AnalyticsHistory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON of the analytics endpoints; a figure not known yet (NaN) is {@code null}. */
final class AnalyticsJson {

    private static final JsonFactory JSON = new JsonFactory();

    /** A weak cell in a ranking: its pack's report and its own line. */
    record RankedCell(PackReport pack, CellReport cell) {
    }

    private AnalyticsJson() {
    }

    /**
     * @param ratedAh the rated capacity of the pack from its plant's meta, NaN if not given
     * @param stored  whether {@code pack} is the report stored before a restart rather than a fresh one
     */
    static String pack(final PackReport pack, final double ratedAh, final boolean stored) {
        return write(g -> {
            g.writeStringField("type", "analytics");
            g.writeStringField("path", pack.pack());
            g.writeBooleanField("stored", stored);
            packFigures(g, pack, ratedAh);
            g.writeArrayFieldStart("cells");
            for (final CellReport cell : pack.cells()) {
                g.writeStartObject();
                cell(g, cell);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("days");
            for (final DayThroughput day : pack.days()) {
                g.writeStartObject();
                g.writeNumberField("day", day.day());
                number(g, "ampHours", day.ampHours());
                number(g, "kWhIn", day.kWhIn());
                number(g, "kWhOut", day.kWhOut());
                number(g, "fullCycles", day.fullCycles());
                g.writeEndObject();
            }
            g.writeEndArray();
            spreads(g, "spreadDays", pack.spreadDays());
            spreads(g, "spreadHours", pack.spreadHours());
        });
    }

    private static void spreads(final JsonGenerator g, final String name, final List<SpreadBucket> buckets)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (final SpreadBucket bucket : buckets) {
            g.writeStartObject();
            g.writeNumberField("start", bucket.start());
            number(g, "restVolts", bucket.restVolts());
            g.writeNumberField("restSamples", bucket.restSamples());
            number(g, "loadVolts", bucket.loadVolts());
            g.writeNumberField("loadSamples", bucket.loadSamples());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A pack's stored snapshots over time, oldest first. */
    static String packHistory(final String path, final long from, final long to, final int limit,
                              final double ratedAh, final AnalyticsHistory.Page<PackReport> page) {
        return write(g -> {
            g.writeStringField("type", "analytics-history");
            g.writeStringField("path", path);
            window(g, from, to, limit, page.more());
            number(g, "ratedAh", ratedAh);
            g.writeArrayFieldStart("snapshots");
            for (final PackReport snapshot : page.rows()) {
                g.writeStartObject();
                packFigures(g, snapshot, ratedAh);
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** One cell's figures in its pack's stored snapshots, oldest first. */
    static String cellHistory(final String path, final String cell, final long from, final long to, final int limit,
                              final AnalyticsHistory.Page<AnalyticsHistory.CellSnapshot> page) {
        return write(g -> {
            g.writeStringField("type", "analytics-history");
            g.writeStringField("path", path);
            g.writeStringField("cell", cell);
            window(g, from, to, limit, page.more());
            g.writeArrayFieldStart("snapshots");
            for (final AnalyticsHistory.CellSnapshot snapshot : page.rows()) {
                g.writeStartObject();
                g.writeNumberField("at", snapshot.at());
                cellFigures(g, snapshot.cell());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void window(final JsonGenerator g, final long from, final long to, final int limit,
                               final boolean more) throws IOException {
        g.writeNumberField("from", from);
        g.writeNumberField("to", to);
        g.writeNumberField("limit", limit);
        g.writeBooleanField("more", more);
    }

    /** A report's pack-level figures, with its state of health against {@code ratedAh} (NaN: not known). */
    private static void packFigures(final JsonGenerator g, final PackReport pack, final double ratedAh)
            throws IOException {
        g.writeNumberField("at", pack.at());
        g.writeNumberField("samples", pack.samples());
        g.writeNumberField("steps", pack.steps());
        number(g, "medianOhms", pack.medianOhms());
        number(g, "capacityAh", pack.capacityAh());
        number(g, "ratedAh", ratedAh);
        number(g, "stateOfHealth", pack.capacityAh() / ratedAh);
        g.writeNumberField("capacitySwings", pack.capacitySwings());
        number(g, "ampHours", pack.ampHours());
        number(g, "fullCycles", pack.fullCycles());
        number(g, "spreadTrendVoltsPerDay", pack.spreadTrendVoltsPerDay());
        g.writeNumberField("dischargeEnds", pack.dischargeEnds());
    }

    static String weakest(final String path, final List<RankedCell> cells) {
        return write(g -> {
            g.writeStringField("type", "weakest");
            g.writeStringField("path", path);
            g.writeArrayFieldStart("cells");
            for (final RankedCell ranked : cells) {
                g.writeStartObject();
                g.writeStringField("pack", ranked.pack().pack());
                cell(g, ranked.cell());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void cell(final JsonGenerator g, final CellReport cell) throws IOException {
        g.writeStringField("cell", cell.cell());
        cellFigures(g, cell);
    }

    private static void cellFigures(final JsonGenerator g, final CellReport cell) throws IOException {
        final ResistanceEstimate r = cell.resistance();
        if (r != null) {
            number(g, "ohms", r.ohms());
            number(g, "spreadOhms", r.spreadOhms());
            g.writeNumberField("steps", r.steps());
            number(g, "ratio", r.ratioToPackMedian());
        }
        // The server's one judgement of a weak cell (CellReport.weak), so every client marks the same cells.
        g.writeBooleanField("weak", cell.weak());
        g.writeNumberField("bottoms", cell.bottoms());
    }

    private static void number(final JsonGenerator g, final String field, final double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumberField(field, value);
        } else {
            g.writeNullField(field);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(final Body body) {
        final StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
