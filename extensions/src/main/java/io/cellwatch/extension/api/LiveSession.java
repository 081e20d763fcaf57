package io.cellwatch.extension.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.api.auth.Scope;
import io.cellwatch.extension.live.LiveSubscriber;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket client of {@code /api/v1/live}.
 * <p>
 * The client sends {@code {"op":"subscribe","path":"tenants/acme/plants/p1"}} (or {@code "unsubscribe"}); it gets a
 * snapshot of that subtree, then coalesced deltas. Every frame is sent from the fan-out thread, so a snapshot always
 * precedes the deltas of its subtree. While the previous frame is still being written (a slow client), changes
 * accumulate and go out together in the next frame: a slow client gets fewer, fuller frames, never a backlog. A
 * client only ever gets series inside its {@link Scope}; a subscription outside it is refused with an error frame.
 */
final class LiveSession implements LiveSubscriber {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Command(String op, String path) {
    }

    private final WebSocketChannel channel;
    private final SeriesCatalog catalog;
    private final Scope scope;
    private final Queue<Command> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    // Touched only by the fan-out thread.
    private final List<String> paths = new ArrayList<>();
    private final Set<Series> pending = new LinkedHashSet<>();

    private final WebSocketCallback<Void> frameDone = new WebSocketCallback<>() {
        @Override
        public void complete(final WebSocketChannel ch, final Void context) {
            writing.set(false);
        }

        @Override
        public void onError(final WebSocketChannel ch, final Void context, final Throwable throwable) {
            writing.set(false);
            WebSockets.sendClose(1011, "send failed", ch, null);
        }
    };

    LiveSession(final WebSocketChannel channel, final SeriesCatalog catalog, final Scope scope) {
        this.channel = channel;
        this.catalog = catalog;
        this.scope = scope;
    }

    /** The logged-in user this socket belongs to. */
    String user() {
        return scope.user();
    }

    /** Closes the socket with a policy-violation code: the user's rights changed and must be checked afresh. */
    void revoke() {
        WebSockets.sendClose(1008, "access rights changed; log in again", channel, null);
    }

    /** Takes a client message (I/O thread): validated here, acted on at the next tick. */
    void onMessage(final String text) {
        try {
            final JsonNode message = MAPPER.readTree(text);
            final String op = message.path("op").asText("");
            final String path = message.path("path").asText("");
            if (!op.equals("subscribe") && !op.equals("unsubscribe")) {
                inbox.add(new Command("error", "unknown op '" + op + "'; use subscribe or unsubscribe"));
                return;
            }
            TopicResolver.parseSubtree(path);
            if (!scope.covers(path) && !scope.leadsTo(path)) {
                // Same answer whether or not the path exists: nothing about other tenants leaks.
                inbox.add(new Command("error", "path '" + path + "' is outside what you may see"));
                return;
            }
            inbox.add(new Command(op, path));
        } catch (final IOException e) {
            inbox.add(new Command("error", "message is not JSON: " + e.getMessage()));
        } catch (final Rejection e) {
            inbox.add(new Command("error", "bad path: " + e.getMessage()));
        }
    }

    @Override
    public void onTick(final List<Series> changed) {
        if (!channel.isOpen()) {
            return;
        }
        Command command;
        while ((command = inbox.poll()) != null) {
            handle(command);
        }
        if (paths.isEmpty()) {
            return;
        }
        for (final Series series : changed) {
            if (isWatched(series)) {
                pending.add(series);
            }
        }
        if (!pending.isEmpty() && writing.compareAndSet(false, true)) {
            final String frame = ApiJson.delta(pending);
            pending.clear();
            WebSockets.sendText(frame, channel, frameDone);
        }
    }

    private void handle(final Command command) {
        switch (command.op()) {
            case "subscribe" -> {
                if (!paths.contains(command.path())) {
                    paths.add(command.path());
                }
                final String visible = scope.covers(command.path()) ? command.path() : scope.root();
                WebSockets.sendText(ApiJson.snapshot(command.path(), catalog.under(visible)), channel, null);
            }
            case "unsubscribe" -> {
                paths.remove(command.path());
                pending.removeIf(series -> !isWatched(series));
            }
            default -> WebSockets.sendText(ApiJson.error(command.path()), channel, null);
        }
    }

    private boolean isWatched(final Series series) {
        if (!scope.shows(series)) {
            return false;
        }
        for (final String path : paths) {
            if (series.isUnder(path)) {
                return true;
            }
        }
        return false;
    }
}
