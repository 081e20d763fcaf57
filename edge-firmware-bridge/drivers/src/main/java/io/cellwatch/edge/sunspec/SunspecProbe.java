package io.cellwatch.edge.sunspec;

import io.cellwatch.edge.modbus.ModbusErrors;
import io.cellwatch.edge.modbus.ModbusSource;
import io.cellwatch.edge.modbus.ReadBatch;

import java.io.PrintStream;

/**
 * {@code check --probe} for a SunSpec source: discovers the device's models, prints each (where it is, where it lands
 * in the tree, how many series) and reads every request of a poll once.
 */
public final class SunspecProbe {

    private SunspecProbe() {
    }

    /** Prints the report; returns 0 when every request reads, else the number of requests (1 if discovery failed). */
    public static int probe(final ModbusSource source, final PrintStream out) {
        try {
            source.discover();
        } catch (final Exception e) {
            out.println("source " + source.name() + " (" + source.endpoint() + "): SunSpec discovery failed: "
                    + ModbusErrors.describe(e));
            return 1;
        }
        out.println("source " + source.name() + " (" + source.endpoint() + "): " + source.health().detail() + "; "
                + source.batches().size() + " requests per poll");
        source.discoveryReport().forEach(line -> out.println("  " + line));
        int failed = 0;
        for (final ReadBatch batch : source.batches()) {
            try {
                source.read(batch);
            } catch (final Exception e) {
                failed++;
                out.println("  " + batch.describe() + ": " + ModbusErrors.describe(e) + " (" + batch.specs().size()
                        + " series)");
            }
        }
        out.println("source " + source.name() + ": " + (failed == 0 ? "every request reads"
                : failed + " of " + source.batches().size() + " requests fail"));
        return failed;
    }
}
