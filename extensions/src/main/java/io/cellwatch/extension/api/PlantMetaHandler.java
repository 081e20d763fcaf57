package io.cellwatch.extension.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.publish.RetainedPublish;
import io.cellwatch.contract.PlantMeta;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code GET /api/v1/plants[?path=…]}: the location metadata of the sites (the first level under each tenant, e.g.
 * {@code tenants/acme/plants/p1}) in the caller's scope, read from the retained {@code {site}/meta} publish the
 * broker keeps, e.g. {@code {"name":"Plant 1","lat":52.5,"lon":13.4}}. Sites without a retained meta are left out;
 * a meta that is not valid is listed with an {@code error} naming the field, and no location.
 */
final class PlantMetaHandler implements HttpHandler {

    /** The reserved leaf name of a site's metadata topic. */
    static final String META = "meta";
    private static final JsonFactory JSON = new JsonFactory();
    // tenants/{tenant}/{level}/{id}
    private static final int SITE_DEPTH = 4;

    private final SeriesCatalog catalog;
    private final Function<String, CompletableFuture<Optional<ByteBuffer>>> retained;

    /**
     * @param retained the retained payload of a topic, if any (in the extension: HiveMQ's retained message store)
     */
    PlantMetaHandler(final SeriesCatalog catalog,
                     final Function<String, CompletableFuture<Optional<ByteBuffer>>> retained) {
        this.catalog = catalog;
        this.retained = retained;
    }

    /** The retained payload of {@code topic} in the broker this extension runs in. */
    static CompletableFuture<Optional<ByteBuffer>> retained(final String topic) {
        return Services.retainedMessageStore().getRetainedMessage(topic)
                .thenApply(publish -> publish.flatMap(RetainedPublish::getPayload));
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            // Waits on the retained store: worker-thread work.
            exchange.dispatch(this);
            return;
        }
        final String path = QueryHandlers.checkedPath(exchange);
        if (path == null) {
            return;
        }
        final Scope scope = HttpAccess.scope(exchange);
        final Optional<String> readable = scope.readable(path);
        if (readable.isEmpty()) {
            JsonResponse.forbiddenPath(exchange, path);
            return;
        }
        final String from = readable.get();
        final List<PlantMeta> plants = new ArrayList<>();
        for (final SeriesNode site : sites(from)) {
            if (!scope.covers(site.path())) {
                continue;
            }
            final Optional<ByteBuffer> payload = retained.apply(site.path() + "/" + META).get(5, TimeUnit.SECONDS);
            payload.ifPresent(bytes -> plants.add(PlantMeta.parse(site.path(), bytes)));
        }
        JsonResponse.send(exchange, StatusCodes.OK, json(path, plants));
    }

    /** The sites at or under {@code path} (nodes two levels below {@code tenants/{tenant}}), or the site above it. */
    private List<SeriesNode> sites(final String path) {
        final String[] levels = path.isEmpty() ? new String[0] : path.split("/");
        final String from = levels.length > SITE_DEPTH ? String.join("/", List.of(levels).subList(0, SITE_DEPTH)) : path;
        final List<SeriesNode> out = new ArrayList<>();
        final SeriesNode node = catalog.node(from);
        if (node != null) {
            collect(node, Math.min(levels.length, SITE_DEPTH), out);
        }
        return out;
    }

    private static void collect(final SeriesNode node, final int depth, final List<SeriesNode> out) {
        if (depth == SITE_DEPTH) {
            out.add(node);
            return;
        }
        for (final SeriesNode child : node.children()) {
            collect(child, depth + 2, out);
        }
    }

    private static String json(final String path, final List<PlantMeta> plants) {
        final StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "plants");
            g.writeStringField("path", path);
            g.writeArrayFieldStart("plants");
            for (final PlantMeta plant : plants) {
                g.writeStartObject();
                g.writeStringField("path", plant.path());
                if (plant.name() != null) {
                    g.writeStringField("name", plant.name());
                }
                if (plant.lat() != null) {
                    g.writeNumberField("lat", plant.lat());
                    g.writeNumberField("lon", plant.lon());
                }
                if (plant.packRatedAh() != null) {
                    g.writeNumberField("packRatedAh", plant.packRatedAh());
                }
                if (!plant.gateways().isEmpty()) {
                    g.writeArrayFieldStart("gateways");
                    for (final String gateway : plant.gateways()) {
                        g.writeString(gateway);
                    }
                    g.writeEndArray();
                }
                if (plant.error() != null) {
                    g.writeStringField("error", plant.error());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
