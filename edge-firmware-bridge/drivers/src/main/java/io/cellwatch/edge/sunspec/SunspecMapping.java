package io.cellwatch.edge.sunspec;

import io.cellwatch.edge.modbus.Endian;
import io.cellwatch.edge.modbus.RegisterDiscovery.Discovered;
import io.cellwatch.edge.modbus.RegisterFunction;
import io.cellwatch.edge.modbus.RegisterSpec;
import io.cellwatch.edge.modbus.ValueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Maps the battery models found on a device into the plant's tree: 802 (battery) and 803 (lithium-ion bank) on the
 * plant node, each string (803's string blocks, 804) a rack, each module (804's module blocks, 805) a pack under it,
 * each cell of an 805 a cell under that. Offsets, types and scale factors come from the model JSON; the scale factors'
 * values are read from the device at discovery. Where two models carry the same series (803's string block and the
 * string's 804, 804's module block and the module's 805) the more detailed model's value is kept.
 */
public final class SunspecMapping {

    private static final Logger log = LoggerFactory.getLogger(SunspecMapping.class);

    /** The SunSpec models the gateway maps, plus model 1 (who the device is). */
    public static final List<Integer> MODELS = List.of(1, 802, 803, 804, 805);
    /** The more detailed model first: it wins a series two models carry. */
    private static final List<Integer> DETAIL_FIRST = List.of(805, 804, 803, 802);
    /** Prefix of the repeating group's point names, stripped before the name is looked up in {@link #METRICS}. */
    private static final Map<Integer, String> GROUP_PREFIX = Map.of(803, "Str", 804, "Mod", 805, "Cell");
    /** Bitfields whose bits are events (each symbol a 0/1 metric). */
    private static final Set<String> EVENTS = Set.of("Evt1", "St");
    /** Point name (without its group prefix) → metric name; only these points are mapped. */
    static final Map<String, String> METRICS = Map.ofEntries(
            Map.entry("SoC", "soc"), Map.entry("SoH", "soh"), Map.entry("DoD", "dod"),
            Map.entry("V", "voltage"), Map.entry("A", "current"), Map.entry("W", "power"),
            Map.entry("Tmp", "temperature"), Map.entry("NCyc", "cycles"), Map.entry("NCellBal", "cells_balancing"),
            Map.entry("CellVMax", "cell_voltage_max"), Map.entry("CellVMin", "cell_voltage_min"),
            Map.entry("CellVAvg", "cell_voltage_avg"),
            Map.entry("CellTmpMax", "cell_temperature_max"), Map.entry("CellTmpMin", "cell_temperature_min"),
            Map.entry("CellTmpAvg", "cell_temperature_avg"),
            Map.entry("ModTmpMax", "module_temperature_max"), Map.entry("ModTmpMin", "module_temperature_min"),
            Map.entry("ModTmpAvg", "module_temperature_avg"),
            Map.entry("StrVMax", "string_voltage_max"), Map.entry("StrVMin", "string_voltage_min"),
            Map.entry("StrVAvg", "string_voltage_avg"),
            Map.entry("StrAMax", "string_current_max"), Map.entry("StrAMin", "string_current_min"),
            Map.entry("StrAAvg", "string_current_avg"));

    private final Map<Integer, SunspecModel> models = new LinkedHashMap<>();
    private final Set<Integer> skippedLogged = new HashSet<>();

    /** With the model definitions of the driver's resources. */
    public SunspecMapping() {
        MODELS.forEach(id -> models.put(id, SunspecModelJson.resource(id)));
    }

    /** Whether the gateway reads this model's registers. */
    public boolean knows(final int id) {
        return models.containsKey(id);
    }

    /** One model on the device with where it lands. */
    private record Placed(SunspecModel model, SunspecChain.Block block, String path, List<Part> parts) {
    }

    /** Points of one block (the fixed one, or a repeating one at {@code offset}) and the node they land on. */
    private record Part(List<SunspecModel.Point> points, int offset, String path, String prefix) {
    }

    /** The registers to poll for what {@code found} holds on {@code unit}; a layout that does not fit throws. */
    public Discovered map(final SunspecChain.Found found, final int unit) throws SunspecException {
        final List<String> report = new ArrayList<>();
        final List<Placed> placed = new ArrayList<>();
        String identity = "";
        int strings = 0;
        for (final SunspecChain.Block block : found.blocks()) {
            final SunspecModel model = models.get(block.id());
            if (model == null) {
                report.add("model " + block.id() + " at " + block.address() + " (length " + block.length()
                        + "): not mapped (the gateway maps 1, 802, 803, 804, 805), skipped");
                if (skippedLogged.add(block.id())) {
                    log.info("SunSpec model {} at {} (base {}, unit {}) is not one the gateway maps; skipped",
                            block.id(), block.address(), found.base(), unit);
                }
                continue;
            }
            if (model.id() == 1) {
                // Not length-checked: older devices end model 1 without its pad register (length 65).
                identity = identity.isEmpty() ? identity(model, block) : identity;
                report.add("model 1 at " + block.address() + " (length " + block.length() + "): " + identity);
                continue;
            }
            final int blocks = repeats(model, block, found.base());
            if (model.id() == 804) {
                strings++;
            }
            placed.add(place(model, block, blocks, strings));
        }
        final List<RegisterSpec> specs = new ArrayList<>();
        final Set<String> series = new HashSet<>();
        final Map<SunspecChain.Block, Integer> perBlock = new LinkedHashMap<>();
        final List<Placed> detailFirst = new ArrayList<>(placed);
        detailFirst.sort(Comparator.comparingInt(p -> DETAIL_FIRST.indexOf(p.model().id())));
        for (final Placed p : detailFirst) {
            final int before = specs.size();
            for (final Part part : p.parts()) {
                add(specs, series, p, part, unit);
            }
            perBlock.put(p.block(), specs.size() - before);
        }
        for (final Placed p : placed) {
            report.add("model " + p.model().id() + " at " + p.block().address() + " (length " + p.block().length()
                    + "): " + p.model().name() + " -> " + (p.path().isEmpty() ? "plant node" : p.path()) + ", "
                    + perBlock.get(p.block()) + " series");
        }
        final String models = found.blocks().stream().map(b -> String.valueOf(b.id()))
                .collect(Collectors.groupingBy(id -> id, LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getKey() + (e.getValue() > 1 ? " x" + e.getValue() : ""))
                .collect(Collectors.joining(", "));
        final String device = "SunSpec" + (identity.isEmpty() ? "" : " " + identity) + ", base " + found.base()
                + ", models " + models;
        if (specs.isEmpty()) {
            throw new SunspecException("the SunSpec device at base " + found.base() + " of unit " + unit + " has "
                    + (models.isEmpty() ? "no models" : "models " + models) + " but no battery model (802, 803, 804,"
                    + " 805) with a point the gateway maps");
        }
        return new Discovered(specs, device, report);
    }

    /** Repeating blocks of {@code block}, checked against its length; 0 for a model without a repeating group. */
    private static int repeats(final SunspecModel model, final SunspecChain.Block block, final int base)
            throws SunspecException {
        final int fixed = model.fixedLength() - 2;
        final String where = "SunSpec model " + model.id() + " at " + block.address() + " (base " + base + ")";
        if (block.length() < fixed) {
            throw new SunspecException(where + " has length " + block.length() + ", shorter than its fixed block of "
                    + fixed + " registers (model_" + model.id() + ".json)");
        }
        final SunspecModel.Group group = model.repeating();
        final int rest = block.length() - fixed;
        if (group == null) {
            if (rest != 0) {
                throw new SunspecException(where + " has length " + block.length() + ", but model_" + model.id()
                        + ".json defines " + fixed + " registers (a wrong length would misplace every model after it)");
            }
            return 0;
        }
        if (rest % group.length() != 0) {
            throw new SunspecException(where + " has length " + block.length() + ": after its fixed block of " + fixed
                    + " registers, " + rest + " registers (from offset " + model.fixedLength() + ") are not a whole"
                    + " number of " + group.length() + "-register '" + group.name() + "' blocks");
        }
        final int blocks = rest / group.length();
        final String countPoint = group.count() != null ? group.count() : model.id() == 805 ? "NCell" : null;
        if (countPoint != null) {
            final SunspecModel.Point point = model.point(countPoint);
            final int count = block.words()[point.offset()];
            if (count != 0xFFFF && count != blocks) {
                throw new SunspecException(where + ": " + countPoint + " (offset " + point.offset() + ") says "
                        + count + " '" + group.name() + "' blocks of " + group.length() + " registers, but its length "
                        + block.length() + " leaves room for " + blocks);
            }
        }
        return blocks;
    }

    /** Where {@code block} lands in the tree; {@code stringOrdinal} numbers 804 strings without an index. */
    private static Placed place(final SunspecModel model, final SunspecChain.Block block, final int blocks,
                                final int stringOrdinal) {
        final List<Part> parts = new ArrayList<>();
        final String prefix = GROUP_PREFIX.getOrDefault(model.id(), "");
        final SunspecModel.Group group = model.repeating();
        final String path = switch (model.id()) {
            case 804 -> "racks/" + index(model, block, "Idx", stringOrdinal);
            case 805 -> "racks/" + index(model, block, "StrIdx", 1) + "/packs/" + index(model, block, "ModIdx", 1);
            default -> "";
        };
        parts.add(new Part(model.points(), 0, path, ""));
        for (int i = 0; i < blocks; i++) {
            final String child = switch (model.id()) {
                case 803 -> "racks/" + (i + 1);
                case 804 -> path + "/packs/" + (i + 1);
                case 805 -> path + "/cells/" + (i + 1);
                default -> path;
            };
            parts.add(new Part(group.points(), model.fixedLength() + i * group.length(), child, prefix));
        }
        return new Placed(model, block, path, parts);
    }

    private static int index(final SunspecModel model, final SunspecChain.Block block, final String point,
                             final int fallback) {
        final int value = block.words()[model.point(point).offset()];
        return value == 0 || value == 0xFFFF ? fallback : value;
    }

    private static void add(final List<RegisterSpec> specs, final Set<String> series, final Placed placed,
                            final Part part, final int unit) {
        final int[] words = placed.block().words();
        for (final SunspecModel.Point point : part.points()) {
            final String name = point.name().startsWith(part.prefix())
                    ? point.name().substring(part.prefix().length()) : point.name();
            final int at = part.offset() + point.offset();
            final int address = placed.block().address() + at;
            if (point.type().equals("bitfield32") && EVENTS.contains(name) && !point.symbols().isEmpty()) {
                if (unsigned32(words, at) == 0xFFFF_FFFFL) {
                    continue;
                }
                for (final SunspecModel.Symbol symbol : point.symbols()) {
                    final String metric = symbol.name().toLowerCase(Locale.ROOT);
                    if (!symbol.name().startsWith("RESERVED") && series.add(part.path() + "/" + metric)) {
                        specs.add(new RegisterSpec(0, unit, RegisterFunction.HOLDING, address, ValueType.UINT32,
                                Endian.BIG, Endian.BIG, 1, 0, part.path(), metric, symbol.value()));
                    }
                }
                continue;
            }
            final String metric = METRICS.get(name);
            final ValueType type = switch (point.type()) {
                case "uint16" -> ValueType.UINT16;
                case "int16" -> ValueType.INT16;
                case "uint32" -> ValueType.UINT32;
                default -> null;
            };
            if (metric == null || type == null || notImplemented(type, words, at)) {
                continue;
            }
            BigDecimal scale = BigDecimal.ONE;
            if (point.sf() != null) {
                final int sf = words[placed.model().point(point.sf()).offset()];
                if (sf == 0x8000) {
                    continue;
                }
                scale = scale.scaleByPowerOfTen((short) sf);
            }
            if (point.units().startsWith("%")) {
                // The product's soc (and soh, dod) is a fraction: 0.82, not 82 %.
                scale = scale.movePointLeft(2);
            }
            if (series.add(part.path() + "/" + metric)) {
                specs.add(new RegisterSpec(0, unit, RegisterFunction.HOLDING, address, type, Endian.BIG, Endian.BIG,
                        scale.doubleValue(), 0, part.path(), metric));
            }
        }
    }

    /** SunSpec's "not implemented" value of the type, read at discovery: such a point is not mapped. */
    private static boolean notImplemented(final ValueType type, final int[] words, final int at) {
        return switch (type) {
            case UINT16 -> words[at] == 0xFFFF;
            case INT16 -> words[at] == 0x8000;
            case UINT32 -> unsigned32(words, at) == 0xFFFF_FFFFL;
            default -> false;
        };
    }

    private static long unsigned32(final int[] words, final int at) {
        return (long) words[at] << 16 | words[at + 1];
    }

    /** {@code Acme BMS-100 (serial 12345, version 1.2.0)} from model 1's Mn, Md, SN, Vr. */
    private static String identity(final SunspecModel common, final SunspecChain.Block block) {
        return (text(common, block, "Mn") + " " + text(common, block, "Md")).trim() + " (serial "
                + text(common, block, "SN") + ", version " + text(common, block, "Vr") + ")";
    }

    private static String text(final SunspecModel model, final SunspecChain.Block block, final String name) {
        final SunspecModel.Point point = model.point(name);
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < point.size() && point.offset() + i < block.words().length; i++) {
            final int word = block.words()[point.offset() + i];
            for (final int c : new int[]{word >>> 8, word & 0xFF}) {
                if (c >= 0x20 && c < 0x7F) {
                    out.append((char) c);
                }
            }
        }
        return out.toString().trim();
    }
}
