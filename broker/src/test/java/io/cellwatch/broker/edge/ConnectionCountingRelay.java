package io.cellwatch.broker.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a device on loopback that counts the connections the device is opened: j2mod's slave has no
 * hook for its accepted sockets, so the relay is the device side's door. Close is idempotent.
 */
final class ConnectionCountingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** Listens on a free loopback port and relays every connection to {@code targetPort} on loopback. */
    ConnectionCountingRelay(final int targetPort) throws IOException {
        this.target = targetPort;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Thread acceptor = new Thread(this::accept, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** TCP connections accepted since start. */
    int accepted() {
        return accepted.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                final Socket in = server.accept();
                accepted.incrementAndGet();
                sockets.add(in);
                final Socket out = new Socket();
                try {
                    out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                } catch (final IOException refused) {
                    // the device is down: the client sees its connection end
                    closeQuietly(in);
                    continue;
                }
                sockets.add(out);
                pipe(in, out);
                pipe(out, in);
            } catch (final IOException e) {
                // the relay was closed
            }
        }
    }

    private static void pipe(final Socket from, final Socket to) {
        final Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (final IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(final Socket socket) {
        try {
            socket.close();
        } catch (final IOException ignored) {
            // closing anyway
        }
    }

    /** Closes every relayed connection, both sides, as a device that went away does. */
    void dropConnections() {
        sockets.forEach(ConnectionCountingRelay::closeQuietly);
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(ConnectionCountingRelay::closeQuietly);
    }
}
