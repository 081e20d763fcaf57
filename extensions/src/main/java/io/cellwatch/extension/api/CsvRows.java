package io.cellwatch.extension.api;

import io.cellwatch.extension.history.HistoryExport;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes exported samples as RFC 4180 CSV (CRLF line ends, a header line, fields quoted only when needed) to a
 * writer the caller owns. Times are ISO-8601 UTC with milliseconds, always the same width, so they sort as text.
 */
final class CsvRows implements HistoryExport.Sink {

    static final String HEADER = "series,ts,value,seq,received";
    private static final String EOL = "\r\n";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Writer out;
    private final Runnable beforeFirstByte;

    /** @param beforeFirstByte run once the rows are known to be within the limit, before anything is written */
    CsvRows(final Writer out, final Runnable beforeFirstByte) {
        this.out = out;
        this.beforeFirstByte = beforeFirstByte;
    }

    @Override
    public void begin(final long rows) throws IOException {
        beforeFirstByte.run();
        out.write(HEADER);
        out.write(EOL);
    }

    @Override
    public void row(final String series, final long tsMs, final double value, final Long seq, final long receivedMs)
            throws IOException {
        out.write(field(series));
        out.write(',');
        out.write(time(tsMs));
        out.write(',');
        out.write(Double.toString(value));
        out.write(',');
        if (seq != null) {
            out.write(Long.toString(seq));
        }
        out.write(',');
        out.write(time(receivedMs));
        out.write(EOL);
    }

    static String time(final long epochMs) {
        return TIME.format(Instant.ofEpochMilli(epochMs));
    }

    /** {@code text}, quoted with inner quotes doubled if it holds a comma, a quote or a line break. */
    static String field(final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
        }
        return text;
    }
}
