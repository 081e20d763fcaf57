package io.cellwatch.edge.modbus;

import java.util.List;

/**
 * Finds what to poll on a device that describes itself (SunSpec), over the source's own connection, when the source
 * first reaches it; a {@code modbus-tcp} source has its register map instead.
 */
@FunctionalInterface
public interface RegisterDiscovery {

    /** The registers to poll; throws with a message an engineer can act on when the device does not allow it. */
    Discovered discover(RegisterReader device) throws Exception;

    /** What discovery found on the device. */
    interface RegisterReader {

        /**
         * {@code count} (at most 125) registers of {@code function} from {@code start} on {@code unit}, sent and
         * retried as the poll's requests are; an exception answer is thrown as j2mod's {@code ModbusSlaveException}.
         */
        int[] read(int unit, RegisterFunction function, int start, int count) throws Exception;
    }

    /**
     * @param registers the entries to poll, line 0
     * @param device    one line for health and the log: who the device is and what was found
     * @param report    lines for {@code check --probe}: where each part was found, what was skipped
     */
    record Discovered(List<RegisterSpec> registers, String device, List<String> report) {

        public Discovered {
            registers = List.copyOf(registers);
            report = List.copyOf(report);
        }
    }
}
