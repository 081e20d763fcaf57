package io.cellwatch.edge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where and how the gateway connects: one broker, or several it fails over between in order. Every broker takes the
 * same scheme, login and trust store.
 *
 * @param endpoints          the brokers in {@code broker.url} order, at least one
 * @param trustStore         PKCS12 trust store for {@code ssl://}; null trusts the JVM's default CAs
 * @param sessionExpiry      how long the broker keeps the gateway's session while it is away
 */
public record BrokerSettings(List<BrokerEndpoint> endpoints, boolean tls, String username, String password,
                             Path trustStore, String trustStorePassword, Duration sessionExpiry) {

    public BrokerSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a gateway needs at least one broker");
        }
    }

    /** One broker, as the embedded demo gateways and the benchmarks connect. */
    public static BrokerSettings single(final String host, final int port, final boolean tls, final String username,
                                        final String password, final Duration sessionExpiry) {
        return new BrokerSettings(List.of(new BrokerEndpoint(host, port)), tls, username, password, null, null,
                sessionExpiry);
    }

    /** {@code tcp://HOST:PORT} or {@code ssl://HOST:PORT} of broker {@code index}, for logs and metric labels. */
    public String url(final int index) {
        final BrokerEndpoint endpoint = endpoints.get(index);
        return (tls ? "ssl://" : "tcp://") + endpoint.host() + ":" + endpoint.port();
    }

    /** Every broker's URL, in order. */
    public List<String> urls() {
        return IntStream.range(0, endpoints.size()).mapToObj(this::url).toList();
    }

    @Override
    public String toString() {
        // Never the password in a log line.
        return String.join(", ", urls()) + (username == null ? "" : " as " + username);
    }
}
