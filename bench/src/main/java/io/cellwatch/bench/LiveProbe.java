package io.cellwatch.bench;

import io.cellwatch.contract.LiveCommand;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publish → WebSocket delivery latency, echo-based on one clock: the load generator stamps each publish with an
 * ordinal (in every value) and notes {@link System#nanoTime()} before sending it; WebSocket clients of
 * {@code /api/v1/live} in the same JVM note the time a delta frame arrived, and every sample in it whose value is an
 * ordinal of the current window is one delivery: arrival − send. The clients are Netty channels on one event loop
 * thread that scan a frame's bytes in place: the measuring side must cost far less than the server it measures (the
 * JDK's WebSocket client decoded every frame into a String on a pool of its own). The server runs in another JVM
 * ({@link LiveLoadMain}), so the round trip crosses it and comes back to the clock it started on. Thread-safe.
 */
final class LiveProbe implements MqttLoad.Probe, AutoCloseable {

    private final AtomicLongArray sentNanos;
    private final Recorder micros = new Recorder(3);
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final List<Channel> sockets = new ArrayList<>();
    private final EventLoopGroup loop = new NioEventLoopGroup(1, r -> {
        final Thread t = new Thread(r, "bench-ws");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closing;
    // Every frame is read on the loop's one thread, so one buffer serves all clients.
    private byte[] scratch = new byte[1 << 16];
    private long next;
    private volatile long windowFirst = Long.MAX_VALUE;
    private volatile long windowLast = -1;

    /** @param capacity publishes that can be stamped over the probe's life */
    LiveProbe(final int capacity) {
        this.sentNanos = new AtomicLongArray(capacity);
    }

    /** Connects a client to {@code /api/v1/live}, subscribes it to {@code path} and times every delivery to it. */
    void subscribe(final int httpPort, final String path) throws Exception {
        subscribe(httpPort, path, new Listener(Role.MEASURES));
    }

    /**
     * Connects a client that reads every frame to the end but does not look inside: with 1,000 clients the scan of
     * every frame would make this JVM, not the server, the bottleneck on a shared box.
     */
    void subscribeReading(final int httpPort, final String path) throws Exception {
        subscribe(httpPort, path, new Listener(Role.READS));
    }

    /** Connects a client that reads its first frame, then never again: the server must close it, not wait for it. */
    void subscribeStalled(final int httpPort, final String path) throws Exception {
        subscribe(httpPort, path, new Listener(Role.STALLS));
    }

    private void subscribe(final int httpPort, final String path, final Listener listener) throws Exception {
        final WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create("ws://127.0.0.1:" + httpPort + "/api/v1/live"))
                .maxFramePayloadLength(64 << 20)
                .withUTF8Validator(false)
                .build();
        final Channel channel = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(64 << 20),
                                listener);
                    }
                })
                .connect("127.0.0.1", httpPort).sync().channel();
        listener.open.get(10, TimeUnit.SECONDS);
        channel.writeAndFlush(new TextWebSocketFrame(LiveCommand.subscribe(path)))
                .get(10, TimeUnit.SECONDS);
        sockets.add(channel);
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

    /** Delta and snapshot frame bytes read by every client that reads, measuring or not. */
    long bytesRead() {
        return bytesRead.sum();
    }

    private void received(final long arrived, final CharSequence frame) {
        // A scan for the values' numbers instead of a JSON tree: with 1,000 clients the parse would be the client's
        // bottleneck, and its queueing would count as server latency.
        if (!startsWith(frame, DELTA)) {
            return;
        }
        final long first = windowFirst;
        final long last = windowLast;
        final int length = frame.length();
        // Samples are [alias,value,ts,seq] (or ["relative key",value,…] above the tenants): a value follows a '['
        // and its name. The announced keys ("series":{"17":"…"}) hold no '['.
        for (int i = indexOf(frame, SAMPLE, 0); i >= 0; i = indexOf(frame, SAMPLE, i)) {
            i++;
            if (i < length && Character.isDigit(frame.charAt(i))) {
                while (i < length && Character.isDigit(frame.charAt(i))) {
                    i++;
                }
            } else if (i < length && frame.charAt(i) == '"') {
                i = indexOf(frame, KEY_END, i + 1);
                if (i < 0) {
                    return;
                }
                i++;
            } else {
                continue;
            }
            if (i >= length || frame.charAt(i) != ',') {
                continue;
            }
            final int start = i + 1;
            i = start;
            while (i < length && frame.charAt(i) != ',' && frame.charAt(i) != ']') {
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
    private static final String SAMPLE = "[";
    private static final String KEY_END = "\",";

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
        closing = true;
        for (final Channel socket : sockets) {
            socket.close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** What a client does with its frames. */
    private enum Role { MEASURES, READS, STALLS }

    /** One client's inbound side: stamps a frame's arrival before anything else looks at it. */
    private final class Listener extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final CompletableFuture<Void> open = new CompletableFuture<>();
        private final Role role;
        private final boolean stalls;

        Listener(final Role role) {
            this.role = role;
            this.stalls = role == Role.STALLS;
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                open.complete(null);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame) {
            final long arrived = System.nanoTime();
            if (stalls) {
                // Takes the snapshot, then stops reading for good.
                ctx.channel().config().setAutoRead(false);
                return;
            }
            if (frame instanceof TextWebSocketFrame) {
                final int size = frame.content().readableBytes();
                bytesRead.add(size);
                if (role == Role.READS) {
                    return;
                }
                // One bulk copy, then a scan of a plain array: far cheaper than a ByteBuf read per character.
                final ByteBuf content = frame.content();
                final int length = content.readableBytes();
                if (scratch.length < length) {
                    scratch = new byte[Math.max(length, scratch.length * 2)];
                }
                content.getBytes(content.readerIndex(), scratch, 0, length);
                received(arrived, new AsciiView(scratch, length));
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
            open.completeExceptionally(new IllegalStateException("closed before the handshake completed"));
            if (!stalls && !closing) {
                closed.increment();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            open.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** The first {@code length} bytes of {@code bytes} as characters: the server writes ASCII digits and keys. */
    private record AsciiView(byte[] bytes, int length) implements CharSequence {

        @Override
        public char charAt(final int index) {
            return (char) (bytes[index] & 0xff);
        }

        @Override
        public CharSequence subSequence(final int start, final int end) {
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }
}
