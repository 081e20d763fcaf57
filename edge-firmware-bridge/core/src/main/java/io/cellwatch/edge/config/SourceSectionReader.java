package io.cellwatch.edge.config;

/**
 * Reads one type of {@code [source NAME]} section (e.g. {@code modbus-tcp}) into its driver's settings. Each driver
 * brings its own; the program registers them, so this package never depends on a driver.
 */
@FunctionalInterface
public interface SourceSectionReader {

    /**
     * The section's settings, or null when a problem (reported through the section's reader, with its
     * {@code file:line}) leaves nothing to run. Keys it does not read are reported as unknown afterwards.
     */
    SourceSettings read(SourceSection section);
}
