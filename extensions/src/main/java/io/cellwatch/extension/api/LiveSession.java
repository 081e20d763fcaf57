package io.cellwatch.extension.api;

import io.cellwatch.extension.config.LiveSettings;
import io.cellwatch.extension.live.DeltaFrame;
import io.cellwatch.extension.live.FrameSocket;
import io.cellwatch.extension.live.LiveFanout;
import io.cellwatch.extension.live.LiveOutlet;
import io.cellwatch.extension.live.LiveSubscriber;
import io.cellwatch.extension.series.SeriesCatalog;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One WebSocket client of {@code /api/v1/live}.
 * <p>
 * The client sends {@code {"op":"subscribe","path":"tenants/acme/plants/p1"}} (or {@code "unsubscribe"}); it gets a
 * snapshot of that subtree, then deltas: the frames the fan-out shares among every client watching the same path.
 * Subscription changes and snapshots happen on the fan-out thread, so a snapshot always precedes the deltas of its
 * subtree. A client that falls behind gets held-back changes as one latest-value frame ({@link LiveOutlet}) and, past
 * the slow-client bound, is closed with code 1013. A client only ever gets series inside its {@link Scope}; a
 * subscription outside it is refused with an error frame ({@link SubscriptionRequest}). {@code {"op":"gateways"}}
 * adds the states of the gateways in its scope ({@link GatewayFeed}), {@code {"op":"alerts"}} its alerts
 * ({@link AlertFeed}).
 * <p>
 * What one client may make the server hold is bounded: {@link CommandBudget} messages a second (more are refused with
 * an error frame; more than its burst refused in a row close the socket with 1008), {@code live.commands-queued}
 * commands waiting for the fan-out thread (and the fan-out's own bound on all clients' commands), one pending
 * subscribe per path (a repeat while it waits is dropped), and snapshots in pages at the client's pace
 * ({@link LiveSnapshot}).
 */
final class LiveSession implements LiveSubscriber, FrameSocket {

    /** WebSocket close code for a client that keeps sending past its bounds, and for revoked rights. */
    static final int POLICY_VIOLATION = 1008;

    private final WebSocketChannel channel;
    private final SeriesCatalog catalog;
    private final Scope scope;
    private final LiveFanout fanout;
    private final LiveOutlet outlet;
    private final GatewayFeed gateways;
    private final AlertFeed alerts;
    private final long abortAfterMillis;
    private final IoThreadOutbox outbox;
    private final LiveSettings settings;
    // I/O thread only.
    private final CommandBudget budget;
    private boolean shut;
    // Commands handed to the fan-out thread and not run yet; paths with a subscribe among them.
    private final AtomicInteger queued = new AtomicInteger();
    private final Set<String> subscribing = ConcurrentHashMap.newKeySet();
    // Fan-out thread only: requested path → the path it is registered on.
    private final Map<String, String> watching = new HashMap<>();

    LiveSession(final WebSocketChannel channel, final SeriesCatalog catalog, final Scope scope,
                final LiveFanout fanout, final GatewayFeed gateways, final AlertFeed alerts,
                final long abortAfterMillis, final IoThreadOutbox outbox, final LiveSettings settings,
                final LongSupplier nanoTime) {
        this.outbox = outbox;
        this.settings = settings;
        this.budget = new CommandBudget(settings.commandsPerSecond(), settings.commandBurst(), nanoTime);
        this.alerts = alerts;
        this.gateways = gateways;
        this.channel = channel;
        this.catalog = catalog;
        this.scope = scope;
        this.fanout = fanout;
        this.abortAfterMillis = abortAfterMillis;
        this.outlet = fanout.outlet(this);
    }

    /** The logged-in user this socket belongs to. */
    String user() {
        return scope.user();
    }

    /** Closes the socket with a policy-violation code: the user's rights changed and must be checked afresh. */
    void revoke() {
        WebSockets.sendClose(POLICY_VIOLATION, "access rights changed; log in again", channel, null);
    }

    /**
     * Takes a client message (I/O thread): checked against the socket's bounds and the scope here, acted on by the
     * fan-out thread before its next flush.
     */
    void onMessage(final String text) {
        if (shut) {
            return;
        }
        if (!budget.take()) {
            refuse("too many messages: at most " + settings.commandsPerSecond() + " a second (bursts of "
                    + settings.commandBurst() + "); this one was ignored");
            return;
        }
        final SubscriptionRequest request = SubscriptionRequest.parse(text, scope);
        if (request.op().equals("subscribe") && !subscribing.add(request.path())) {
            // The same subscribe waits already: its snapshot answers both.
            budget.accepted();
            return;
        }
        if (queued.incrementAndGet() > settings.commandsQueued()) {
            unqueue(request);
            refuse("too many messages waiting (" + settings.commandsQueued() + "); this one was ignored");
            return;
        }
        if (!fanout.offer(() -> {
            unqueue(request);
            handle(request);
        })) {
            unqueue(request);
            refuse("the live view is busy; this message was ignored, send it again later");
            return;
        }
        budget.accepted();
    }

    private void unqueue(final SubscriptionRequest request) {
        queued.decrementAndGet();
        if (request.op().equals("subscribe")) {
            subscribing.remove(request.path());
        }
    }

    /** Answers a refused message with an error frame, or closes the socket once it keeps sending regardless. */
    private void refuse(final String why) {
        fanout.metrics().commandRefused();
        if (budget.refusedTooOften()) {
            shut = true;
            fanout.metrics().closedAbusive();
            channel.suspendReceives();
            // Nothing more for it but the close: frames still waiting would only delay the close frame, and one
            // that is still unread when the abort bound cuts the connection is lost with them.
            fanout.discard(outlet);
            close(POLICY_VIOLATION, "too many messages: more than " + settings.commandBurst()
                    + " refused in a row; reconnect later and send fewer");
            return;
        }
        outlet.send(utf8(ApiJson.error(why)));
    }

    /** The socket is gone: drop every registration. */
    void closed() {
        gateways.stop(this);
        alerts.stop(this);
        fanout.discard(outlet);
        fanout.execute(() -> fanout.unwatchAll(this));
    }

    @Override
    public void deliver(final DeltaFrame frame) {
        outlet.deliver(frame);
    }

    @Override
    public void send(final ByteBuffer utf8, final Runnable done) {
        if (channel.getIoThread() == Thread.currentThread()) {
            write(utf8, done);
        } else {
            outbox.submit(channel.getIoThread(), () -> write(utf8, done));
        }
    }

    private void write(final ByteBuffer utf8, final Runnable done) {
        WebSockets.sendText(utf8, channel, new WebSocketCallback<>() {
            @Override
            public void complete(final WebSocketChannel ch, final Void context) {
                done.run();
            }

            @Override
            public void onError(final WebSocketChannel ch, final Void context, final Throwable throwable) {
                done.run();
                IoUtils.safeClose(ch);
            }
        });
    }

    @Override
    public void close(final int code, final String reason) {
        // Through the outbox, so the close frame follows the frames sent before it; it queues behind unread frames,
        // and a client that never reads again is cut off after the bound.
        outbox.submit(channel.getIoThread(), () -> {
            WebSockets.sendClose(code, reason, channel, null);
            channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), abortAfterMillis,
                    TimeUnit.MILLISECONDS);
        });
    }

    private void handle(final SubscriptionRequest request) {
        if (!channel.isOpen()) {
            return;
        }
        switch (request.op()) {
            case "subscribe" -> {
                // Taken before the registration: every delta after it is newer than the snapshot's samples.
                final LiveSnapshot snapshot = new LiveSnapshot(request.path(), catalog.under(request.watch()),
                        settings.snapshotPageSeries());
                if (!outlet.snapshot(snapshot)) {
                    outlet.send(utf8(ApiJson.error("too many snapshots waiting to be read ("
                            + LiveOutlet.MAX_PENDING_SNAPSHOTS + "); read them, then subscribe to '"
                            + request.path() + "' again")));
                    return;
                }
                watching.put(request.path(), request.watch());
                fanout.watch(this, request.watch());
            }
            case "unsubscribe" -> {
                final String watched = watching.remove(request.path());
                if (watched != null && !watching.containsValue(watched)) {
                    fanout.unwatch(this, watched);
                    outlet.forget(series -> fanout.watches(this, series));
                }
            }
            case "gateways" -> gateways.watch(this, new GatewayFeed.Watcher(scope, outlet::send,
                    channel::isOpen));
            case "alerts" -> alerts.watch(this, new AlertFeed.Watcher(scope, outlet::send, channel::isOpen));
            default -> outlet.send(utf8(ApiJson.error(request.path())));
        }
    }

    private static ByteBuffer utf8(final String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
