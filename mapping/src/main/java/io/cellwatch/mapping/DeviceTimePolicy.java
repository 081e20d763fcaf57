package io.cellwatch.mapping;

/**
 * Which device times a {@link TopicMapper} keeps; any other becomes the mapper's clock time. The server keeps
 * {@link ForeignTimestamp#plausible} (2025-01-01 .. now + 5 min), the gateway its own window for every device it reads.
 */
@FunctionalInterface
public interface DeviceTimePolicy {

    /** True if device time {@code ts} (epoch ms, or {@link ForeignTimestamp#NONE}) is kept at time {@code now}. */
    boolean keeps(long ts, long now);
}
