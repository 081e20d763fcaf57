package io.cellwatch.edge.sunspec;

import java.util.List;

/**
 * One SunSpec information model as its {@code model_N.json} defines it: the points of its fixed block, with their
 * offsets from the model's first register (its {@code ID}), and at most one repeating group.
 *
 * @param points    the fixed block, {@code ID} and {@code L} first
 * @param repeating the repeating group, or null
 */
public record SunspecModel(int id, String name, List<Point> points, Group repeating) {

    public SunspecModel {
        points = List.copyOf(points);
    }

    /** Registers of the fixed block, {@code ID} and {@code L} included. */
    public int fixedLength() {
        final Point last = points.get(points.size() - 1);
        return last.offset() + last.size();
    }

    /** The fixed block's point {@code name}, or null. */
    public Point point(final String name) {
        return points.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * One point.
     *
     * @param offset  registers from the start of its block (the model's {@code ID}, or the repeating block's start)
     * @param size    registers
     * @param type    SunSpec type: {@code uint16}, {@code int16}, {@code sunssf}, {@code bitfield32}, {@code string} …
     * @param sf      name of the {@code sunssf} point of the fixed block that scales it, or null
     * @param units   as the model writes them ({@code V}, {@code C}, {@code %}), or empty
     * @param symbols a bitfield's bits (or an enum's values), empty for other points
     */
    public record Point(String name, String type, int offset, int size, String sf, String units,
                       List<Symbol> symbols) {

        public Point {
            symbols = List.copyOf(symbols);
        }
    }

    /** A named bit of a bitfield (its value is the bit number) or a value of an enum. */
    public record Symbol(String name, int value) {
    }

    /**
     * The repeating group: blocks of {@code length} registers after the fixed block.
     *
     * @param count the fixed block's point that says how many blocks there are, or null: as many as the model's
     *              length leaves room for
     */
    public record Group(String name, String count, List<Point> points, int length) {

        public Group {
            points = List.copyOf(points);
        }
    }
}
