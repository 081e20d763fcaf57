package io.cellwatch.edge.modbus;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code check --probe}: reads every request of a source's poll once against the live device and reports, per
 * register map line, OK with the value or the exact error. A request that fails with an exception answer is split
 * into its lines, each read alone, so the report names the line that spoils the request (an off-by-one map reads
 * past the device's last register) and the lines the request takes down with it in {@code run}.
 */
public final class ModbusProbe {

    private ModbusProbe() {
    }

    /**
     * Probes {@code source}, whose map is {@code registerMap}; prints one line per map line, sorted by line, and a
     * summary. Returns the number of map lines {@code run} would not read.
     */
    public static int probe(final ModbusSource source, final Path registerMap, final PrintStream out) {
        final String file = registerMap.getFileName().toString();
        final Map<Integer, String> report = new TreeMap<>();
        int lost = 0;
        for (final ReadBatch batch : source.batches()) {
            try {
                final int[] words = source.read(batch);
                for (final RegisterSpec spec : batch.specs()) {
                    report.put(spec.line(), "OK " + format(RegisterDecoder.decode(spec, words,
                            spec.address() - batch.start())));
                }
            } catch (final ModbusUnreachableException e) {
                lost += batch.specs().size();
                batch.specs().forEach(spec -> report.put(spec.line(), e.getMessage()));
            } catch (final Exception e) {
                lost += batch.specs().size();
                final String error = ModbusErrors.describe(e);
                for (final RegisterSpec spec : batch.specs()) {
                    report.put(spec.line(), batch.specs().size() == 1 ? error : alone(source, spec, batch, error));
                }
            }
        }
        out.println("source " + source.name() + " (" + source.endpoint() + "): " + source.batches().size()
                + " requests per poll");
        for (final ReadBatch batch : source.batches()) {
            for (final RegisterSpec spec : batch.specs()) {
                report.computeIfPresent(spec.line(), (line, result) -> "  " + file + ":" + line + " unit "
                        + spec.unit() + " " + spec.function().word() + " " + spec.address() + " "
                        + spec.type().word() + " -> " + spec.series() + ": " + result);
            }
        }
        report.values().forEach(out::println);
        out.println("source " + source.name() + ": " + (lost == 0 ? "every map line reads"
                : lost + " of " + report.size() + " map lines are not read by run"));
        return lost;
    }

    /** The result of {@code spec} read alone, within a request of several lines that failed with {@code error}. */
    private static String alone(final ModbusSource source, final RegisterSpec spec, final ReadBatch batch,
                                final String error) {
        final ReadBatch single = new ReadBatch(spec.unit(), spec.function(), spec.address(), spec.width(),
                List.of(spec));
        try {
            final int[] words = source.read(single);
            return "OK alone (" + format(RegisterDecoder.decode(spec, words, 0)) + "), but lost in run: its request "
                    + batch.describe() + " fails with " + error;
        } catch (final Exception e) {
            return ModbusErrors.describe(e) + " (read alone; in run its request " + batch.describe()
                    + " fails with it)";
        }
    }

    private static String format(final double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
