package io.cellwatch.edge.sunspec;

/** The device does not describe itself as SunSpec says: the message names the base address, model and offset. */
public final class SunspecException extends Exception {

    public SunspecException(final String message) {
        super(message, null, false, false);
    }
}
