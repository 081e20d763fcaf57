package io.cellwatch.mapping;

import io.cellwatch.contract.Rejection;

/**
 * A publish a rule matched that cannot be mapped, with its {@link MappingFault}. Thrown for every malformed foreign
 * publish, so it carries no stack trace.
 */
public final class Unmapped extends Exception {

    private final MappingFault fault;

    public Unmapped(final MappingFault fault, final String message) {
        super(message, null, false, false);
        this.fault = fault;
    }

    public MappingFault fault() {
        return fault;
    }

    /** The same refusal as the server answers it. */
    public Rejection rejection() {
        return new Rejection(fault.reason(), getMessage());
    }
}
