package io.cellwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free TCP ports for the servers tests and benchmarks start: the OS picks them (port 0), the caller binds them. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port no socket holds at the moment of the call. */
    public static int one() {
        return distinct(1)[0];
    }

    /**
     * {@code count} ports no socket holds at the moment of the call, all different: each socket stays open until the OS
     * has picked the last one, so a server with several listeners never gets one port twice.
     */
    public static int[] distinct(final int count) {
        final int[] ports = new int[count];
        pick(ports, 0);
        return ports;
    }

    private static void pick(final int[] ports, final int index) {
        if (index == ports.length) {
            return;
        }
        // Bound on all addresses, so a port some listener holds on any one address is not handed out.
        try (ServerSocket socket = new ServerSocket(0)) {
            ports[index] = socket.getLocalPort();
            pick(ports, index + 1);
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
