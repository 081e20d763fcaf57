package io.cellwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publish → WebSocket delivery latency, on one clock: the load generator stamps each publish with an ordinal (in
 * every value) and notes {@link System#nanoTime()} before sending it; {@code clients} java.net.http WebSocket clients
 * of {@code /api/v1/live} note the time a delta frame arrived, and every sample in it whose value is an ordinal of the
 * current window is one delivery: arrival − send. Thread-safe.
 */
final class LiveProbe implements MqttLoad.Probe, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLongArray sentNanos;
    private final Recorder micros = new Recorder(3);
    private final LongAdder unmatched = new LongAdder();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        final Thread t = new Thread(r, "bench-ws");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().executor(executor).build();
    private long next;
    private volatile long windowFirst = Long.MAX_VALUE;
    private volatile long windowLast = -1;

    /** @param capacity publishes that can be stamped over the probe's life */
    LiveProbe(final int capacity) {
        this.sentNanos = new AtomicLongArray(capacity);
    }

    /** Connects a client to {@code /api/v1/live} and subscribes it to {@code path}. */
    void subscribe(final int httpPort, final String path) throws Exception {
        final WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/api/v1/live"), new Listener())
                .get(10, TimeUnit.SECONDS);
        socket.sendText("{\"op\":\"subscribe\",\"path\":\"" + path + "\"}", true).get(10, TimeUnit.SECONDS);
        sockets.add(socket);
    }

    int clients() {
        return sockets.size();
    }

    @Override
    public synchronized long nextOrdinal() {
        // Ordinals past the capacity are sent unstamped (-1 never matches): the array bounds the run, not the JVM.
        return next < sentNanos.length() ? next++ : sentNanos.length();
    }

    @Override
    public void sending(final long ordinal, final long nanos) {
        if (ordinal < sentNanos.length()) {
            sentNanos.set((int) ordinal, nanos);
        }
    }

    /** Deliveries of ordinals from the next one stamped on count; the previous interval is discarded. */
    synchronized void openWindow() {
        windowFirst = next;
        windowLast = Long.MAX_VALUE;
        micros.getIntervalHistogram();
        unmatched.reset();
    }

    /** Stops counting ordinals stamped from now on; deliveries of earlier ones still count until {@link #take}. */
    synchronized void closeWindow() {
        windowLast = next - 1;
    }

    /** The deliveries of the window so far; nothing counts until the next {@link #openWindow}. */
    synchronized Histogram take() {
        final Histogram taken = micros.getIntervalHistogram();
        windowFirst = Long.MAX_VALUE;
        windowLast = -1;
        return taken;
    }

    long unmatched() {
        return unmatched.sum();
    }

    private void received(final long arrived, final String frame) {
        try {
            final JsonNode root = JSON.readTree(frame);
            if (!"delta".equals(root.path("type").asText())) {
                return;
            }
            final long first = windowFirst;
            final long last = windowLast;
            for (final JsonNode sample : root.path("samples")) {
                final long ordinal = (long) sample.path("value").asDouble(-1);
                if (ordinal < first || ordinal > last) {
                    continue;
                }
                final long sent = ordinal < sentNanos.length() ? sentNanos.get((int) ordinal) : 0;
                if (sent == 0) {
                    unmatched.increment();
                } else {
                    micros.recordValue(Math.max(0, (arrived - sent) / 1_000));
                }
            }
        } catch (final Exception e) {
            unmatched.increment();
        }
    }

    @Override
    public void close() {
        for (final WebSocket socket : sockets) {
            socket.abort();
        }
        executor.shutdownNow();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
            partial.append(data);
            if (last) {
                // Arrival is stamped before parsing: JSON work on this side is not the server's latency.
                received(System.nanoTime(), partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
