package io.cellwatch.bench;

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
 * Publish → WebSocket delivery latency, echo-based on one clock: the load generator stamps each publish with an
 * ordinal (in every value) and notes {@link System#nanoTime()} before sending it; java.net.http WebSocket clients of
 * {@code /api/v1/live} in the same JVM note the time a delta frame arrived, and every sample in it whose value is an
 * ordinal of the current window is one delivery: arrival − send. The server runs in another JVM
 * ({@link LiveLoadMain}), so the round trip crosses it and comes back to the clock it started on. Thread-safe.
 */
final class LiveProbe implements MqttLoad.Probe, AutoCloseable {

    private final AtomicLongArray sentNanos;
    private final Recorder micros = new Recorder(3);
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder closed = new LongAdder();
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
        subscribe(httpPort, path, new Listener(false));
    }

    /** Connects a client that reads its first frame, then never again: the server must close it, not wait for it. */
    void subscribeStalled(final int httpPort, final String path) throws Exception {
        subscribe(httpPort, path, new Listener(true));
    }

    private void subscribe(final int httpPort, final String path, final Listener listener) throws Exception {
        final WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/api/v1/live"), listener)
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

    /** Reading clients the server closed or that failed. */
    long closedReading() {
        return closed.sum();
    }

    private void received(final long arrived, final CharSequence frame) {
        // A scan for "value": numbers instead of a JSON tree: with 1,000 clients the parse would be the client's
        // bottleneck, and its queueing would count as server latency.
        if (!startsWith(frame, DELTA)) {
            return;
        }
        final long first = windowFirst;
        final long last = windowLast;
        final int length = frame.length();
        for (int i = indexOf(frame, VALUE, 0); i >= 0; i = indexOf(frame, VALUE, i)) {
            final int start = i + VALUE.length();
            i = start;
            while (i < length && frame.charAt(i) != ',' && frame.charAt(i) != '}') {
                i++;
            }
            final long ordinal = ordinal(frame, start, i);
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
    }

    private static final String DELTA = "{\"type\":\"delta\"";
    private static final String VALUE = "\"value\":";

    /** The non-negative whole number in {@code text[start, end)} ({@code 12}, {@code 12.0}, {@code 1.2E7}), or -1. */
    private static long ordinal(final CharSequence text, final int start, final int end) {
        long value = 0;
        int i = start;
        for (; i < end && Character.isDigit(text.charAt(i)); i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        if (i == start) {
            return -1;
        }
        if (i == end) {
            return value;
        }
        if (text.charAt(i) == '.' && i + 1 < end) {
            int j = i + 1;
            while (j < end && text.charAt(j) == '0') {
                j++;
            }
            if (j == end) {
                return value;
            }
        }
        try {
            final double parsed = Double.parseDouble(text.subSequence(start, end).toString());
            return parsed >= 0 && parsed == Math.rint(parsed) ? (long) parsed : -1;
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    private static boolean startsWith(final CharSequence text, final String prefix) {
        if (text.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(final CharSequence text, final String needle, final int from) {
        final int end = text.length() - needle.length();
        outer:
        for (int i = from; i <= end; i++) {
            for (int j = 0; j < needle.length(); j++) {
                if (text.charAt(i + j) != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
        private final boolean stalls;

        Listener(final boolean stalls) {
            this.stalls = stalls;
        }

        @Override
        public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
            if (stalls) {
                // Takes the snapshot's first part, then stops reading for good.
                return null;
            }
            if (last && partial.length() == 0) {
                received(System.nanoTime(), data);
            } else {
                partial.append(data);
                if (last) {
                    // Arrival is stamped before the scan: work on this side is not the server's latency.
                    received(System.nanoTime(), partial);
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket ws, final int statusCode, final String reason) {
            if (!stalls) {
                closed.increment();
            }
            return null;
        }

        @Override
        public void onError(final WebSocket ws, final Throwable error) {
            if (!stalls) {
                closed.increment();
            }
        }
    }
}
