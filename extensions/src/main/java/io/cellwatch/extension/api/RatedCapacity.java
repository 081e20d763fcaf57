package io.cellwatch.extension.api;

import io.cellwatch.contract.PlantMeta;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A pack's rated capacity, from the retained meta of the site above it ({@code packRatedAh}). Thread-safe. */
final class RatedCapacity {

    // tenants/{tenant}/{level}/{id}: the site whose meta rates the packs below it.
    private static final int SITE_DEPTH = 4;

    private final Function<String, CompletableFuture<Optional<ByteBuffer>>> retained;

    /** @param retained the retained payload of a topic, if any (the broker's retained message store) */
    RatedCapacity(final Function<String, CompletableFuture<Optional<ByteBuffer>>> retained) {
        this.retained = retained;
    }

    /** The rated capacity of {@code pack} in Ah, NaN if its site's meta does not give it; blocks up to 5 s. */
    double of(final String pack) throws Exception {
        final String[] levels = pack.split("/");
        if (levels.length <= SITE_DEPTH) {
            return Double.NaN;
        }
        final String site = String.join("/", Arrays.copyOf(levels, SITE_DEPTH));
        final Optional<ByteBuffer> meta = retained.apply(site + "/" + PlantMetaHandler.META).get(5, TimeUnit.SECONDS);
        final Double rated = meta.map(bytes -> PlantMeta.parse(site, bytes).packRatedAh()).orElse(null);
        return rated == null ? Double.NaN : rated;
    }
}
