package io.cellwatch.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The messages a client sends on the live WebSocket {@code /api/v1/live} (docs/api.md): the one place they are
 * written, with the path escaped as JSON, for every Java client (the bench, the tests).
 */
public final class LiveCommand {

    private static final JsonFactory JSON = new JsonFactory();

    private LiveCommand() {
    }

    /** Watch the subtree at {@code path}: a snapshot, then its deltas. */
    public static String subscribe(final String path) {
        return withPath("subscribe", path);
    }

    /** Stop watching the subtree at {@code path}. */
    public static String unsubscribe(final String path) {
        return withPath("unsubscribe", path);
    }

    /** Watch the gateways' states. */
    public static String gateways() {
        return write("gateways", null);
    }

    /** Watch the alerts. */
    public static String alerts() {
        return write("alerts", null);
    }

    private static String withPath(final String op, final String path) {
        if (path == null) {
            throw new IllegalArgumentException("'" + op + "' needs a path");
        }
        return write(op, path);
    }

    private static String write(final String op, final String path) {
        final StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("op", op);
            if (path != null) {
                g.writeStringField("path", path);
            }
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
