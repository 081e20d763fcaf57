package io.cellwatch.edge.modbus;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.config.ConfigProblems;
import io.cellwatch.edge.config.MetricMapFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads a register map: a CSV file with the columns {@value #HEADER}, {@code #} comments, one register entry a
 * line. Every problem is reported as {@code file:line}; nothing is returned half-checked.
 */
public final class RegisterMapParser {

    /** The header line every register map starts with. */
    public static final String HEADER = "unit,function,address,type,word-order,byte-order,scale,offset,path,metric";

    private RegisterMapParser() {
    }

    /** The entries of {@code file}; problems go to {@code problems} and the entries with them are left out. */
    public static List<RegisterSpec> parse(final Path file, final ConfigProblems problems) {
        return withoutOverlaps(file, MetricMapFile.read(file, "register map", HEADER, RegisterMapParser::entry,
                problems), problems);
    }

    /**
     * Refuses an entry that reads registers another entry of the same unit and table reads (a float32 at 6 and a
     * uint16 at 7): one of the two is certainly wrong, and guessing which would publish a wrong value.
     */
    private static List<RegisterSpec> withoutOverlaps(final Path file, final List<RegisterSpec> entries,
                                                      final ConfigProblems problems) {
        final List<RegisterSpec> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(RegisterSpec::unit).thenComparing(RegisterSpec::function)
                .thenComparingInt(RegisterSpec::address).thenComparingInt(RegisterSpec::line));
        final List<RegisterSpec> kept = new ArrayList<>();
        RegisterSpec widest = null;
        for (final RegisterSpec spec : sorted) {
            if (widest != null && widest.unit() == spec.unit() && widest.function() == spec.function()
                    && spec.address() < widest.address() + widest.width()) {
                final RegisterSpec first = widest.line() < spec.line() ? widest : spec;
                final RegisterSpec second = first == widest ? spec : widest;
                problems.at(file, second.line(), describe(second) + " overlaps " + describe(first) + " of line "
                        + first.line() + ": each register may feed one entry");
                continue;
            }
            kept.add(spec);
            if (widest == null || widest.unit() != spec.unit() || widest.function() != spec.function()
                    || spec.address() + spec.width() > widest.address() + widest.width()) {
                widest = spec;
            }
        }
        kept.sort(Comparator.comparingInt(RegisterSpec::line));
        return kept;
    }

    private static String describe(final RegisterSpec spec) {
        final int last = spec.address() + spec.width() - 1;
        return "the " + spec.type().word() + " at unit " + spec.unit() + " " + spec.function().word() + " "
                + spec.address() + (last == spec.address() ? "" : "-" + last);
    }

    private static RegisterSpec entry(final Path file, final int n, final String[] f, final ConfigProblems problems) {
        final int before = problems.list().size();
        final int unit = integer(file, n, "unit", f[0], 0, 255, problems);
        final RegisterFunction function = RegisterFunction.of(f[1].toLowerCase(Locale.ROOT));
        if (function == null) {
            problems.at(file, n, "function '" + f[1] + "': expected holding, input, coil or discrete");
        }
        final int address = integer(file, n, "address", f[2], 0, 65_535, problems);
        ValueType type = ValueType.of(f[3].toLowerCase(Locale.ROOT));
        if (function != null && function.bits() && f[3].isEmpty()) {
            type = ValueType.BOOL;
        }
        if (type == null) {
            problems.at(file, n, "type '" + f[3] + "': expected int16, uint16, int32, uint32, float32, float64"
                    + " (or bool for coils and discrete inputs)");
        } else if (function != null && function.bits() != (type == ValueType.BOOL)) {
            problems.at(file, n, "type '" + type.word() + "' does not fit function '" + function.word()
                    + "': coils and discrete inputs are bool, registers are numbers");
        } else if (address + type.registers() > 65_536) {
            problems.at(file, n, "a " + type.word() + " at address " + address + " runs past address 65535");
        }
        final Endian words = endian(file, n, "word-order", f[4], problems);
        final Endian bytes = endian(file, n, "byte-order", f[5], problems);
        final double scale = MetricMapFile.decimal(file, n, "scale", f[6], 1, problems);
        if (scale == 0) {
            problems.at(file, n, "scale is 0: every value would be the offset");
        }
        final double offset = MetricMapFile.decimal(file, n, "offset", f[7], 0, problems);
        final String path = f[8];
        try {
            TopicBuilder node = TopicBuilder.tenant("t");
            final String[] levels = path.isEmpty() ? new String[0] : path.split("/", -1);
            if (levels.length % 2 != 0) {
                throw new IllegalArgumentException("needs (level, id) pairs, e.g. racks/r1/cells/3");
            }
            for (int i = 0; i < levels.length; i += 2) {
                node = node.child(levels[i], levels[i + 1]);
            }
            node.metric(f[9]);
        } catch (final IllegalArgumentException e) {
            problems.at(file, n, "path '" + path + "' / metric '" + f[9] + "': "
                    + e.getMessage().replaceAll("topic level \\d+", "a level"));
        }
        if (problems.list().size() != before) {
            return null;
        }
        return new RegisterSpec(n, unit, function, address, type, words, bytes, scale, offset, path, f[9]);
    }

    private static int integer(final Path file, final int n, final String column, final String text, final int min,
                               final int max, final ConfigProblems problems) {
        try {
            final int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (final NumberFormatException ignored) {
            // reported below
        }
        problems.at(file, n, column + " '" + text + "': expected a whole number from " + min + " to " + max);
        return min;
    }

    private static Endian endian(final Path file, final int n, final String column, final String text,
                                 final ConfigProblems problems) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "", "big" -> Endian.BIG;
            case "little" -> Endian.LITTLE;
            default -> {
                problems.at(file, n, column + " '" + text + "': expected big or little");
                yield Endian.BIG;
            }
        };
    }
}
