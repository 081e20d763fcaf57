package io.cellwatch.edge.config;

import java.time.Duration;

/**
 * One source of samples, polled every {@link #pollInterval()}. Each driver has its own settings record, read from its
 * {@code [source NAME]} section by its {@link SourceSectionReader}.
 */
public interface SourceSettings {

    String name();

    Duration pollInterval();
}
