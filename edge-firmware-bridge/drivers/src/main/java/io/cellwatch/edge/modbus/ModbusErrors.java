package io.cellwatch.edge.modbus;

import com.ghgande.j2mod.modbus.ModbusSlaveException;

/** Words for what went wrong with a Modbus request, as an engineer looks them up. */
public final class ModbusErrors {

    private ModbusErrors() {
    }

    /** {@code Illegal Data Address (exception 2)} for a device's exception answer, else the error and its cause. */
    public static String describe(final Throwable e) {
        if (e instanceof ModbusSlaveException answer) {
            return ModbusSlaveException.getMessage(answer.getType()) + " (exception " + answer.getType() + ")";
        }
        final StringBuilder out = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName()
                : stable(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !out.toString().contains(stable(cause.getMessage()))) {
                out.append(": ").append(stable(cause.getMessage()));
            }
        }
        return out.toString();
    }

    /**
     * j2mod's I/O messages carry the request's bytes (its transaction id changes with every request) and a trailing
     * {@code - null}; without them one error reads the same poll after poll, so the log says it once.
     */
    private static String stable(final String message) {
        return message.replaceAll("transaction( [0-9A-F]{2})+", "transaction").replaceAll(" - null$", "");
    }
}
