package io.cellwatch.edge.config;

import java.nio.file.Path;

/**
 * The disk buffer.
 *
 * @param dir      folder of the Chronicle Queue and the send position
 * @param maxBytes bound of the queue files; past it the oldest unsent data is dropped and counted
 */
public record BufferSettings(Path dir, long maxBytes) {
}
