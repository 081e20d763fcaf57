package io.cellwatch.extension.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.display.DisplayTable;
import io.cellwatch.extension.display.DisplayWatcher;
import io.cellwatch.extension.display.MetricDisplay;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/metrics/meta[?path=…]}: how the tenant of {@code path} shows its numbers and names, the built-in
 * units, labels, decimals, ranges and level names with that tenant's overrides from the display file, so every client
 * formats alike. A path outside the caller's scope is 403; an ancestor of it ({@code ""}, {@code tenants}) answers
 * for the caller's own tenant, or with the built-in table alone for a global admin.
 */
final class DisplayHandler implements HttpHandler {

    private static final JsonFactory JSON = new JsonFactory();

    private final DisplayWatcher display;

    DisplayHandler(final DisplayWatcher display) {
        this.display = display;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        if (JsonResponse.refusedUnlessGet(exchange)) {
            return;
        }
        final String path = QueryHandlers.checkedPath(exchange);
        if (path == null) {
            return;
        }
        final Scope scope = HttpAccess.scope(exchange);
        final Optional<String> tenant;
        if (scope.covers(path) && tenantOf(path).isPresent()) {
            tenant = tenantOf(path);
        } else if (scope.covers(path) || scope.leadsTo(path)) {
            tenant = scope.all() ? Optional.empty() : scope.tenant();
        } else {
            JsonResponse.forbiddenPath(exchange, path);
            return;
        }
        // Why the file's last edit was refused says nothing about any tenant's data, but is for admins only.
        final Optional<String> problem = scope.all()
                ? display.problem().map(Throwable::getMessage) : Optional.empty();
        JsonResponse.send(exchange, StatusCodes.OK, json(tenant, display.current().forTenant(tenant), problem));
    }

    private static Optional<String> tenantOf(final String path) {
        final String[] levels = path.split("/");
        return levels.length >= 2 && levels[0].equals(TopicResolver.ROOT) ? Optional.of(levels[1]) : Optional.empty();
    }

    private static String json(final Optional<String> tenant, final DisplayTable table,
                               final Optional<String> problem) {
        final StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "metrics-meta");
            if (tenant.isPresent()) {
                g.writeStringField("tenant", tenant.get());
            }
            g.writeObjectFieldStart("metrics");
            for (final Map.Entry<String, MetricDisplay> e : table.metrics().entrySet()) {
                final MetricDisplay m = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                if (m.label() != null) {
                    g.writeStringField("label", m.label());
                }
                if (m.unit() != null) {
                    g.writeStringField("unit", m.unit());
                }
                if (m.decimals() != null) {
                    g.writeNumberField("decimals", m.decimals());
                }
                g.writeNumberField("scale", m.scale() == null ? 1.0 : m.scale());
                if (m.min() != null) {
                    g.writeNumberField("min", m.min());
                    g.writeNumberField("max", m.max());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("levels");
            for (final Map.Entry<String, String> e : table.levels().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (problem.isPresent()) {
                g.writeStringField("problem", problem.get());
            }
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
