package io.cellwatch.mapping;

import io.cellwatch.contract.RejectReason;

/**
 * Why a publish that a rule matched could not be mapped. The server answers with {@link #reason()}; the gateway
 * counts each under its own name.
 */
public enum MappingFault {
    /** The payload has no bytes. */
    EMPTY_PAYLOAD(RejectReason.EMPTY_PAYLOAD),
    /** The payload is larger than the mapper accepts. */
    OVERSIZE(RejectReason.OVERSIZE),
    /** The payload is not one JSON object. */
    NOT_JSON(RejectReason.BAD_JSON),
    /** No alternative of a tenant or id template gave a value. */
    NO_ID(RejectReason.BAD_JSON),
    /** A tenant or id cannot be a topic level ({@code a/b}, {@code #}, a space). */
    BAD_ID(RejectReason.BAD_TOPIC),
    /** No mapped metric in the payload. */
    NO_METRIC(RejectReason.NO_METRICS);

    private final RejectReason reason;

    MappingFault(final RejectReason reason) {
        this.reason = reason;
    }

    /** The contract's reject reason the server answers and counts with. */
    public RejectReason reason() {
        return reason;
    }
}
