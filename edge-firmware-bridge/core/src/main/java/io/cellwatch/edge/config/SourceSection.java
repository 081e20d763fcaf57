package io.cellwatch.edge.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One {@code [source NAME]} section as a driver's {@link SourceSectionReader} sees it; {@code type} and
 * {@code poll-interval} are already read.
 *
 * @param name            the section's NAME
 * @param reader          its keys, every problem reported with its {@code file:line}
 * @param pollInterval    {@code poll-interval}, or its default of 1s
 * @param gatewayClientId the gateway's {@code client-id} (may be null when missing, which is reported already)
 * @param defaultPkiDir   where certificates go unless the section says otherwise: {@code pki} beside the buffer
 */
public record SourceSection(String name, SectionReader reader, Duration pollInterval, String gatewayClientId,
                            Path defaultPkiDir) {
}
