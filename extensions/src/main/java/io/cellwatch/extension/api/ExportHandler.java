package io.cellwatch.extension.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.config.HttpLimits;
import io.cellwatch.extension.history.HistoryExport;
import io.prometheus.metrics.core.metrics.Counter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /api/v1/export?path=…&from=…&to=…[&format=csv]}: the raw samples of every series at or under a node (or
 * of one series) in [from, to) as a CSV download, streamed from DuckDB to the client on a worker thread. More rows
 * than {@code http.max-export-rows} is 422 before the first byte; a path outside the caller's scope is 403 whether or
 * not it exists; at most {@value #CONCURRENT} exports run at once, more are 429. Thread-safe.
 */
final class ExportHandler implements HttpHandler {

    /** Exports running at once: each holds a worker thread and a DuckDB reader for as long as the client reads. */
    static final int CONCURRENT = 2;
    private static final Logger log = LoggerFactory.getLogger(ExportHandler.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int BUFFER_CHARS = 64 * 1024;
    // Never exported, not even to a global admin: the synthetic probe's tenant.
    private static final String HIDDEN = TopicBuilder.tenant(TopicResolver.INTERNAL_TENANT).node() + "/";

    private final HistoryExport export;
    private final long maxRows;
    private final Clock clock;
    private final Counter refused;
    private final Semaphore running = new Semaphore(CONCURRENT);

    /**
     * @param maxRows the most rows in one export ({@code http.max-export-rows})
     * @param refused counts refusals, labelled {@code rows} (over the limit) or {@code busy} (too many at once)
     */
    ExportHandler(final HistoryExport export, final long maxRows, final Clock clock, final Counter refused) {
        this.export = export;
        this.maxRows = maxRows;
        this.clock = clock;
        this.refused = refused;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            // Counts and streams up to millions of rows with blocking writes: worker-thread work.
            exchange.dispatch(this);
            return;
        }
        if (JsonResponse.refusedUnlessGet(exchange)) {
            return;
        }
        final ExportRequest asked;
        try {
            asked = ExportRequest.parse(exchange.getQueryParameters(), clock.millis());
        } catch (final HistoryRequest.Invalid invalid) {
            JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error(invalid.getMessage()));
            return;
        }
        final Scope scope = HttpAccess.scope(exchange);
        // "" or "tenants" for a tenant member: their own tenant, like the snapshot.
        final Optional<String> readable = scope.readable(asked.path());
        if (readable.isEmpty()) {
            JsonResponse.forbiddenPath(exchange, asked.path());
            return;
        }
        final ExportRequest request = new ExportRequest(readable.get(), asked.from(), asked.to());
        if (!running.tryAcquire()) {
            refused.labelValues("busy").inc();
            JsonResponse.send(exchange, StatusCodes.TOO_MANY_REQUESTS, ApiJson.error("export: " + CONCURRENT
                    + " exports are running, the most at once; try again when one has finished"));
            return;
        }
        try {
            stream(exchange, request);
        } finally {
            running.release();
        }
    }

    private void stream(final HttpServerExchange exchange, final ExportRequest request) {
        exchange.startBlocking();
        final boolean[] started = {false};
        final Writer out = new BufferedWriter(new OutputStreamWriter(exchange.getOutputStream(),
                StandardCharsets.UTF_8), BUFFER_CHARS);
        try {
            final long rows = export.export(request.path(), HIDDEN, request.from(), request.to(), maxRows,
                    new CsvRows(out, () -> {
                        started[0] = true;
                        exchange.setStatusCode(StatusCodes.OK);
                        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/csv; charset=utf-8");
                        exchange.getResponseHeaders().put(Headers.CONTENT_DISPOSITION,
                                "attachment; filename=\"" + request.fileName() + "\"");
                        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
                    }));
            out.close();
            log.debug("Exported {} rows of '{}'", rows, request.path());
        } catch (final HistoryExport.TooManyRows tooMany) {
            refused.labelValues("rows").inc();
            JsonResponse.send(exchange, StatusCodes.UNPROCESSABLE_ENTITY, tooManyRows(tooMany.rows()));
        } catch (final IOException gone) {
            // The client stopped reading: nothing to answer.
            log.debug("Export of '{}' ended early: {}", request.path(), gone.toString());
            IoUtils.safeClose(exchange.getConnection());
        } catch (final SQLException | RuntimeException e) {
            log.error("Export of '{}' from {} to {} failed", request.path(), request.from(), request.to(), e);
            if (started[0]) {
                // Cut the connection so the download fails rather than ending like a complete file.
                IoUtils.safeClose(exchange.getConnection());
            } else {
                JsonResponse.send(exchange, StatusCodes.INTERNAL_SERVER_ERROR, ApiJson.error("export failed"));
            }
        }
    }

    private String tooManyRows(final long rows) {
        final StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeStringField("error", "export: the range holds " + rows + " rows, more than the limit of "
                    + maxRows + " (setting " + HttpLimits.MAX_EXPORT_ROWS + "); narrow from/to or the path");
            g.writeNumberField("rows", rows);
            g.writeNumberField("limit", maxRows);
            g.writeStringField("setting", HttpLimits.MAX_EXPORT_ROWS);
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
