package io.cellwatch.edge.modbus;

/** The device cannot be reached now: no request was sent, so retrying at once is pointless. */
final class ModbusUnreachableException extends Exception {

    ModbusUnreachableException(final String message) {
        super(message, null, false, false);
    }
}
