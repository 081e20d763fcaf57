package io.cellwatch.edge.config;

import java.time.Duration;

/**
 * How the buffer drains.
 *
 * @param maxInFlight      publishes sent and not yet acknowledged, at most
 * @param drainRate        publishes per second at most, so a backlog does not flood the broker
 * @param reconnectInitial first reconnect delay bound; doubles per attempt with full jitter
 * @param reconnectMax     reconnect delay bound at most
 */
public record PublishSettings(int maxInFlight, int drainRate, Duration reconnectInitial, Duration reconnectMax) {
}
