package io.cellwatch.contract;

/**
 * A telemetry publish refused for a {@link RejectReason}; the message is sent back as the MQTT 5 reason string.
 * <p>
 * Thrown on the publish path for every malformed publish a faulty gateway sends, so it carries no stack trace.
 */
public final class Rejection extends Exception {

    private final RejectReason reason;

    public Rejection(final RejectReason reason, final String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
