package io.cellwatch.extension.api;

import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Deque;
import java.util.Map;

/**
 * The parameters of {@code GET /api/v1/export}, checked in one place with messages that name the parameter.
 *
 * @param path a node or a series key ({@code ""}: everything the caller may see)
 * @param from start of the window, epoch ms, inclusive
 * @param to   end of the window, epoch ms, exclusive
 */
record ExportRequest(String path, long from, long to) {

    /** The only format: Parquet is left out (docs/decisions.md). */
    static final String CSV = "csv";
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    // Room for the times and the extension within the 255 bytes most file systems allow.
    private static final int MAX_PATH_IN_NAME = 160;

    /**
     * Reads the request: {@code path} defaults to {@code ""}, {@code to} to {@code nowMs}, {@code from} to one hour
     * before {@code to}, {@code format} to {@code csv}.
     */
    static ExportRequest parse(final Map<String, Deque<String>> parameters, final long nowMs)
            throws HistoryRequest.Invalid {
        final String pathText = HistoryRequest.single(parameters, "path");
        final String path = pathText == null ? "" : pathText;
        try {
            TopicResolver.parseSubtree(path);
        } catch (final Rejection bad) {
            throw new HistoryRequest.Invalid("path: " + bad.getMessage());
        }
        final String format = HistoryRequest.single(parameters, "format");
        if (format != null && !format.equals(CSV)) {
            throw new HistoryRequest.Invalid("format: only 'csv' is supported, got '" + format + "'");
        }
        final String toText = HistoryRequest.single(parameters, "to");
        final long to = toText == null ? nowMs : HistoryRequest.time("to", toText);
        final String fromText = HistoryRequest.single(parameters, "from");
        final long from = fromText == null
                ? Math.max(0, to - HistoryRequest.DEFAULT_WINDOW_MS) : HistoryRequest.time("from", fromText);
        if (from > to) {
            throw new HistoryRequest.Invalid("from: must not be after to");
        }
        return new ExportRequest(path, from, to);
    }

    /**
     * A download name that is safe in a header and on any file system: the path with every character but letters,
     * digits, '.' and '-' as '_', and the window, e.g. {@code cellwatch_tenants_acme_plants_p1_20261125T090000Z_…csv}.
     */
    String fileName() {
        final StringBuilder name = new StringBuilder("cellwatch");
        if (!path.isEmpty()) {
            name.append('_');
            final String safe = path.replaceAll("[^A-Za-z0-9.-]", "_");
            name.append(safe, 0, Math.min(safe.length(), MAX_PATH_IN_NAME));
        }
        return name.append('_').append(FILE_TIME.format(Instant.ofEpochMilli(from)))
                .append('_').append(FILE_TIME.format(Instant.ofEpochMilli(to))).append('.').append(CSV).toString();
    }
}
