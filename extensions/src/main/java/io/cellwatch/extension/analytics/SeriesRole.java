package io.cellwatch.extension.analytics;

import io.cellwatch.extension.series.Series;

/**
 * What a series is to the estimators, read from its path alone: a cell's voltage ({@code …/cells/{n}/voltage}, its
 * pack the node above the cell), a pack's current, state of charge or voltage ({@code current}, {@code soc},
 * {@code voltage} on a node that is not a cell), or nothing. No other schema is assumed.
 *
 * @param kind the role
 * @param pack the pack's path, empty for {@link Kind#NONE}
 * @param cell the cell's path for {@link Kind#CELL_VOLTAGE}, else empty
 */
record SeriesRole(Kind kind, String pack, String cell) {

    /** The level name of cells. */
    static final String CELL_LEVEL = "cells";
    static final String VOLTAGE = "voltage";
    static final String CURRENT = "current";
    static final String SOC = "soc";
    static final SeriesRole NONE = new SeriesRole(Kind.NONE, "", "");

    enum Kind { NONE, CELL_VOLTAGE, PACK_CURRENT, PACK_SOC, PACK_VOLTAGE }

    static SeriesRole of(final Series series) {
        final String node = series.node().path();
        if (series.node().internal() || !node.startsWith("tenants/")) {
            return NONE;
        }
        final boolean cell = CELL_LEVEL.equals(series.node().level());
        return switch (series.metric()) {
            case VOLTAGE -> cell ? new SeriesRole(Kind.CELL_VOLTAGE, parent(node), node)
                    : new SeriesRole(Kind.PACK_VOLTAGE, node, "");
            case CURRENT -> cell ? NONE : new SeriesRole(Kind.PACK_CURRENT, node, "");
            case SOC -> cell ? NONE : new SeriesRole(Kind.PACK_SOC, node, "");
            default -> NONE;
        };
    }

    /** The path two levels up ({@code level/id} off the end). */
    private static String parent(final String path) {
        final int id = path.lastIndexOf('/');
        final int level = id > 0 ? path.lastIndexOf('/', id - 1) : -1;
        return level > 0 ? path.substring(0, level) : "";
    }

    /** The tenant a pack belongs to: the second level of its path. */
    static String tenant(final String pack) {
        final int start = pack.indexOf('/') + 1;
        final int end = pack.indexOf('/', start);
        return end < 0 ? pack.substring(start) : pack.substring(start, end);
    }
}
