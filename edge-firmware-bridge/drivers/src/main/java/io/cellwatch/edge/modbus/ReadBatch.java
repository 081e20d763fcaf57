package io.cellwatch.edge.modbus;

import java.util.List;
import java.util.TreeSet;

/**
 * One Modbus request: {@code count} registers (or bits) of {@code function} from {@code start} on unit {@code unit},
 * and the entries decoded from them.
 */
public record ReadBatch(int unit, RegisterFunction function, int start, int count, List<RegisterSpec> specs) {

    public ReadBatch {
        specs = List.copyOf(specs);
    }

    /**
     * {@code unit 1 holding 1+16 (lines 2-17)}: the request as logs, {@code status} and {@code /metrics} name it;
     * without lines for entries no file gave (line 0: found by SunSpec discovery).
     */
    public String describe() {
        final String lines = lines();
        final String request = "unit " + unit + " " + function.word() + " " + start + "+" + count;
        if (lines.isEmpty() || lines.equals("0")) {
            return request;
        }
        return request + (lines.matches("\\d+") ? " (line " : " (lines ") + lines + ")";
    }

    /** The register map lines of the entries, as ranges: {@code 2-17}, {@code 3, 7-9}. */
    public String lines() {
        final TreeSet<Integer> lines = new TreeSet<>();
        specs.forEach(spec -> lines.add(spec.line()));
        final StringBuilder out = new StringBuilder();
        Integer from = null;
        Integer to = null;
        for (final int line : lines) {
            if (to != null && line == to + 1) {
                to = line;
                continue;
            }
            append(out, from, to);
            from = line;
            to = line;
        }
        append(out, from, to);
        return out.toString();
    }

    private static void append(final StringBuilder out, final Integer from, final Integer to) {
        if (from == null) {
            return;
        }
        if (!out.isEmpty()) {
            out.append(", ");
        }
        out.append(from);
        if (!from.equals(to)) {
            out.append('-').append(to);
        }
    }
}
