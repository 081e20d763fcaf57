package io.cellwatch.broker;

/** A port cellwatch should listen on is taken; the message is one line per port, naming it and how to change it. */
final class PortTakenException extends IllegalStateException {

    PortTakenException(final String message) {
        super(message);
    }
}
