package io.cellwatch.edge.modbus;

/** Order of the words of a multi-register value, or of the two bytes within each register. */
public enum Endian {
    /** Most significant first: the Modbus default. */
    BIG,
    /** Least significant first. */
    LITTLE
}
