package io.cellwatch.extension.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import org.xnio.IoUtils;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers 413 to a request whose declared body is over {@code http.max-body-bytes}, before anything acts on it, and
 * holds every other request to that size while it is read (a chunked body past it fails its read and the connection
 * is closed). The connection of a refused request is closed after the answer. A refused body of at most
 * {@value #DRAIN_FACTOR} times the limit is read and thrown away first, on the I/O thread and for at most
 * {@value #DRAIN_SECONDS} s: closing a connection with unread bytes makes the kernel reset it, and a client still
 * uploading would then lose the 413 it had not read yet. A larger one is refused at once.
 */
final class BodyLimit implements HttpHandler {

    static final int DRAIN_FACTOR = 4;
    static final int DRAIN_SECONDS = 10;

    private final HttpHandler next;
    private final long maxBytes;
    private final Counter refused;

    BodyLimit(final HttpHandler next, final long maxBytes, final Counter refused) {
        this.next = next;
        this.maxBytes = maxBytes;
        this.refused = refused;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception {
        final long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            refused.inc();
            exchange.setPersistent(false);
            if (declared <= DRAIN_FACTOR * maxBytes) {
                drainThenRefuse(exchange, declared);
            } else {
                refuse(exchange);
            }
            return;
        }
        exchange.setMaxEntitySize(maxBytes);
        next.handleRequest(exchange);
    }

    private void drainThenRefuse(final HttpServerExchange exchange, final long declared) {
        exchange.setMaxEntitySize(declared);
        final AtomicBoolean done = new AtomicBoolean();
        exchange.getIoThread().executeAfter(() -> {
            if (done.compareAndSet(false, true)) {
                IoUtils.safeClose(exchange.getConnection());
            }
        }, DRAIN_SECONDS, TimeUnit.SECONDS);
        exchange.getRequestReceiver().receivePartialBytes((ex, bytes, last) -> {
            if (last && done.compareAndSet(false, true)) {
                refuse(ex);
            }
        }, (ex, error) -> {
            done.set(true);
            IoUtils.safeClose(ex.getConnection());
        });
    }

    private void refuse(final HttpServerExchange exchange) {
        JsonResponse.send(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, ApiJson.error("request body over "
                + maxBytes + " bytes (http.max-body-bytes)"));
    }
}
