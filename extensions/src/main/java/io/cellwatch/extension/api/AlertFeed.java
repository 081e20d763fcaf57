package io.cellwatch.extension.api;

import io.cellwatch.extension.alerts.Alert;
import io.cellwatch.extension.alerts.AlertService;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Alerts for live clients that asked for them ({@code {"op":"alerts"}}): a snapshot of the alerts the caller may see,
 * then one frame per change. Watching and changes both run on the alert thread, so a snapshot always precedes the
 * changes after it. Thread-safe.
 */
final class AlertFeed implements Consumer<Alert> {

    /** Where a watcher's frames go, what it may see, and whether its socket is still open. */
    record Watcher(Scope scope, Consumer<ByteBuffer> out, BooleanSupplier open) {
    }

    private final AlertService alerts;
    private final Map<Object, Watcher> watchers = new ConcurrentHashMap<>();

    AlertFeed(final AlertService alerts) {
        this.alerts = alerts;
        alerts.onChange(this);
    }

    /** Which alerts {@code scope} may see: its tenant's, or every one for a global admin. */
    static Predicate<Alert> visibleTo(final Scope scope) {
        return alert -> scope.all() || scope.tenant().map(alert.tenant()::equals).orElse(false);
    }

    /** Sends {@code owner} a snapshot, then every change it may see, until {@link #stop}. */
    void watch(final Object owner, final Watcher watcher) {
        alerts.execute(() -> {
            // The socket may have closed while this waited: its stop() ran first, so do not add it back.
            if (!watcher.open().getAsBoolean()) {
                return;
            }
            watchers.put(owner, watcher);
            watcher.out().accept(utf8(ApiJson.alerts(alerts.alerts(visibleTo(watcher.scope())).stream()
                    .map(Alert::message).toList())));
        });
    }

    /** No more frames for {@code owner}. */
    void stop(final Object owner) {
        watchers.remove(owner);
    }

    @Override
    public void accept(final Alert alert) {
        if (watchers.isEmpty()) {
            return;
        }
        ByteBuffer frame = null;
        watchers.values().removeIf(watcher -> !watcher.open().getAsBoolean());
        for (final Watcher watcher : watchers.values()) {
            if (visibleTo(watcher.scope()).test(alert)) {
                if (frame == null) {
                    frame = utf8(ApiJson.alertChange(alert.message()));
                }
                watcher.out().accept(frame.duplicate());
            }
        }
    }

    private static ByteBuffer utf8(final String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
