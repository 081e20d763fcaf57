package io.cellwatch.extension.api;

import io.cellwatch.extension.fleet.FleetState;
import io.cellwatch.extension.fleet.GatewayStatus;
import io.cellwatch.extension.ingest.GatewayKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Gateway states for live clients that asked for them ({@code {"op":"gateways"}}): a snapshot of the gateways the
 * caller may see, then one frame per change. Watching and changes both run on the fleet thread, so a snapshot always
 * precedes the changes after it. Thread-safe.
 */
final class GatewayFeed implements Consumer<GatewayStatus> {

    /** Where a watcher's frames go, what it may see, and whether its socket is still open. */
    record Watcher(Scope scope, Consumer<ByteBuffer> out, BooleanSupplier open) {
    }

    private final FleetState fleet;
    private final Map<Object, Watcher> watchers = new ConcurrentHashMap<>();

    GatewayFeed(final FleetState fleet) {
        this.fleet = fleet;
        fleet.onChange(this);
    }

    /** Which gateways {@code scope} may see: its tenant's, or every one for a global admin. */
    static Predicate<GatewayKey> visibleTo(final Scope scope) {
        return key -> scope.all() || scope.tenant().map(key.tenant()::equals).orElse(false);
    }

    /** Sends {@code owner} a snapshot, then every change it may see, until {@link #stop}. */
    void watch(final Object owner, final Watcher watcher) {
        fleet.execute(() -> {
            // The socket may have closed while this waited: its stop() ran first, so do not add it back.
            if (!watcher.open().getAsBoolean()) {
                return;
            }
            watchers.put(owner, watcher);
            watcher.out().accept(utf8(ApiJson.gateways(fleet.statuses(visibleTo(watcher.scope())))));
        });
    }

    /** No more frames for {@code owner}. */
    void stop(final Object owner) {
        watchers.remove(owner);
    }

    @Override
    public void accept(final GatewayStatus status) {
        if (watchers.isEmpty()) {
            return;
        }
        ByteBuffer frame = null;
        watchers.values().removeIf(watcher -> !watcher.open().getAsBoolean());
        for (final Watcher watcher : watchers.values()) {
            if (visibleTo(watcher.scope()).test(status.key())) {
                if (frame == null) {
                    frame = utf8(ApiJson.gatewayChange(status));
                }
                watcher.out().accept(frame.duplicate());
            }
        }
    }

    private static ByteBuffer utf8(final String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
