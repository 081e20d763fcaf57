package io.cellwatch.edge.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how the gateway connects.
 *
 * @param trustStore         PKCS12 trust store for {@code ssl://}; null trusts the JVM's default CAs
 * @param sessionExpiry      how long the broker keeps the gateway's session while it is away
 */
public record BrokerSettings(String host, int port, boolean tls, String username, String password, Path trustStore,
                             String trustStorePassword, Duration sessionExpiry) {

    @Override
    public String toString() {
        // Never the password in a log line.
        return (tls ? "ssl://" : "tcp://") + host + ":" + port + (username == null ? "" : " as " + username);
    }
}
