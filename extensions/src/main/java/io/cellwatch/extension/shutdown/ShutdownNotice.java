package io.cellwatch.extension.shutdown;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.general.IterationCallback;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.session.SessionInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells every connected MQTT client that the server is going away: an MQTT 5 DISCONNECT with reason
 * {@code SERVER_SHUTTING_DOWN} (0x8B), before the broker closes the connections. HiveMQ CE only closes them at stop, so
 * without this a gateway sees a dropped link, not a shutdown, and waits out its keep-alive before it moves to another
 * node. Wills are kept: a gateway is offline while its server is down.
 */
public final class ShutdownNotice {

    private static final Logger log = LoggerFactory.getLogger(ShutdownNotice.class);
    private static final String REASON = "server shutting down";

    private ShutdownNotice() {
    }

    /**
     * Sends the DISCONNECT to every client connected to the broker of {@code clients} and waits at most {@code timeout}
     * for the broker to have sent them; returns how many clients were told. Never throws: a shutdown goes on whatever
     * happens here.
     */
    public static int tellEveryone(final ClientService clients, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<CompletableFuture<Boolean>> sent = new ArrayList<>();
        try {
            clients.iterateAllClients((IterationCallback<SessionInformation>) (context, session) -> {
                if (session.isConnected()) {
                    synchronized (sent) {
                        sent.add(clients.disconnectClient(session.getClientIdentifier(), false,
                                DisconnectReasonCode.SERVER_SHUTTING_DOWN, REASON));
                    }
                }
            }).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            final CompletableFuture<Void> all;
            synchronized (sent) {
                all = CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
            }
            all.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("not every MQTT client could be told of the shutdown within {} ms: {}", timeout.toMillis(),
                    e.toString());
        }
        synchronized (sent) {
            if (!sent.isEmpty()) {
                log.info("told {} MQTT clients the server is shutting down", sent.size());
            }
            return sent.size();
        }
    }
}
