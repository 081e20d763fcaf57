package io.cellwatch.edge.modbus;

import com.ghgande.j2mod.modbus.ModbusSlaveException;

/** Words for what went wrong with a Modbus request, as an engineer looks them up. */
final class ModbusErrors {

    private ModbusErrors() {
    }

    /** {@code Illegal Data Address (exception 2)} for a device's exception answer, else the error and its cause. */
    static String describe(final Throwable e) {
        if (e instanceof ModbusSlaveException answer) {
            return ModbusSlaveException.getMessage(answer.getType()) + " (exception " + answer.getType() + ")";
        }
        final StringBuilder out = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !out.toString().contains(cause.getMessage())) {
                out.append(": ").append(cause.getMessage());
            }
        }
        return out.toString();
    }
}
