package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A java.net.http WebSocket client of {@code /api/v1/live} that queues every frame it receives, parsed. Delta samples
 * are read as the dashboard reads them: each {@code [alias or relative key, value, ts - t, seq]} becomes a
 * snapshot-shaped {@code {"series": full key, "value", "ts", "seq"}}, the aliases learnt from snapshots and their
 * pages ({@code "n"})
 * and from the {@code "series"} a delta announces; an alias never learnt fails the next {@link #next}. {@link #wire()}
 * keeps frames as sent.
 */
final class LiveClient implements AutoCloseable {

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closedBy = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile boolean paused;
    private volatile boolean asSent;
    // Listener thread only: per tenant path, alias → series key.
    private final Map<String, Map<Integer, String>> aliases = new HashMap<>();
    private final List<String> unknown = new CopyOnWriteArrayList<>();

    /** A client acting as the global admin. */
    LiveClient(final int httpPort) throws Exception {
        this(httpPort, TestAccess.ADMIN);
    }

    /** A client acting as {@code user} of {@link TestAccess}. */
    LiveClient(final int httpPort, final String user) throws Exception {
        this(httpPort, user, TestAccess.password(user));
    }

    /** A client acting as {@code user} with {@code password}. */
    LiveClient(final int httpPort, final String user, final String password) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", TestAccess.basic(user, password))
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/api/v1/live"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                final JsonNode frame = HttpApi.JSON.readTree(partial.toString());
                                frames.add(asSent ? frame : expanded(frame));
                            } catch (final Exception e) {
                                throw new IllegalStateException("frame is not JSON: " + partial, e);
                            }
                            partial.setLength(0);
                        }
                        if (!paused) {
                            ws.request(1);
                        }
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(final WebSocket ws, final int statusCode, final String reason) {
                        closedBy.complete(statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    /** From now on, queues delta frames as the server sent them. */
    LiveClient wire() {
        asSent = true;
        return this;
    }

    /** A delta frame with its samples as objects with full series keys; any other frame as it is. */
    private JsonNode expanded(final JsonNode frame) {
        final String type = frame.path("type").asText();
        if (type.equals("snapshot") || type.equals("snapshot-page")) {
            for (final JsonNode sample : frame.path("samples")) {
                final String key = sample.path("series").asText();
                if (sample.has("n")) {
                    aliases.computeIfAbsent(tenantOf(key), t -> new HashMap<>()).put(sample.get("n").asInt(), key);
                }
            }
            return frame;
        }
        if (!type.equals("delta")) {
            return frame;
        }
        final String path = frame.path("path").asText();
        final Map<Integer, String> tenant = aliases.computeIfAbsent(tenantOf(path), t -> new HashMap<>());
        frame.path("series").fields().forEachRemaining(e -> tenant.put(Integer.parseInt(e.getKey()),
                under(path, e.getValue().asText())));
        final ObjectNode copy = frame.deepCopy();
        copy.remove("series");
        copy.remove("t");
        final ArrayNode samples = copy.putArray("samples");
        for (final JsonNode sample : frame.path("samples")) {
            final JsonNode name = sample.get(0);
            final String key = name.isNumber() ? tenant.get(name.asInt()) : under(path, name.asText());
            if (key == null) {
                unknown.add(path + " alias " + name);
            }
            final ObjectNode object = samples.addObject().put("series", key);
            object.set("value", sample.get(1));
            object.put("ts", frame.path("t").asLong() + sample.get(2).asLong());
            if (sample.size() > 3) {
                object.set("seq", sample.get(3));
            }
        }
        return copy;
    }

    private static String under(final String path, final String relative) {
        return path.isEmpty() ? relative : relative.isEmpty() ? path : path + "/" + relative;
    }

    /** {@code tenants/<tenant>} of a path or key within a tenant. */
    private static String tenantOf(final String path) {
        final String[] levels = path.split("/", 3);
        return levels.length < 2 ? path : levels[0] + "/" + levels[1];
    }

    void send(final String json) throws Exception {
        socket.sendText(json, true).get(5, TimeUnit.SECONDS);
    }

    /** Sends one fragment of a text message; the message ends with the fragment sent with {@code last}. */
    CompletableFuture<WebSocket> sendPart(final String text, final boolean last) {
        return socket.sendText(text, last);
    }

    void subscribe(final String path) throws Exception {
        send("{\"op\":\"subscribe\",\"path\":\"" + path + "\"}");
    }

    /** Asks for gateway states: a {@code gateways} snapshot, then one {@code gateway} frame per change. */
    void watchGateways() throws Exception {
        send("{\"op\":\"gateways\"}");
    }

    /** The next frame, failing the test if none arrives within {@code seconds} or an alias was never announced. */
    JsonNode next(final long seconds) throws InterruptedException {
        final JsonNode frame = frames.poll(seconds, TimeUnit.SECONDS);
        if (!unknown.isEmpty()) {
            throw new AssertionError("delta samples named by aliases never announced: " + unknown);
        }
        if (frame == null) {
            throw new AssertionError("no WebSocket frame within " + seconds + " s");
        }
        return frame;
    }

    /** The next frame if one arrives within {@code millis}, else null. */
    JsonNode poll(final long millis) throws InterruptedException {
        final JsonNode frame = frames.poll(millis, TimeUnit.MILLISECONDS);
        if (!unknown.isEmpty()) {
            throw new AssertionError("delta samples named by aliases never announced: " + unknown);
        }
        return frame;
    }

    /** Stops reading after the frame being read: the server's frames pile up in the socket buffers. */
    void stopReading() {
        paused = true;
    }

    /** Reads again (frames, then a close frame if the server sent one). */
    void resumeReading() {
        paused = false;
        socket.request(1);
    }

    /** Frames received and not yet taken. */
    int waiting() {
        return frames.size();
    }

    /** The close code the server sent, once it closed the socket. */
    CompletableFuture<Integer> closedByServer() {
        return closedBy;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
