package io.cellwatch.edge.opcua;

import io.cellwatch.edge.config.SourceSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An OPC-UA server (a PLC) and its node map.
 *
 * @param endpoint           {@code opc.tcp://HOST:PORT/PATH}; its endpoints are discovered there
 * @param securityPolicy     {@code none} or {@code basic256sha256}
 * @param securityMode       {@code none}, {@code sign} or {@code sign-and-encrypt}
 * @param username           user token, or null for anonymous
 * @param pkiDir             the gateway's certificate ({@code own/}) and trust list ({@code trusted/certs},
 *                           {@code rejected/})
 * @param subscribe          true: monitored items in a subscription; false: read every {@code pollInterval}
 * @param samplingInterval   monitored items' sampling interval
 * @param publishingInterval how often the server sends what its monitored items queued
 * @param deadband           absolute deadband of a monitored item (0: every change)
 * @param timeout            per request, and for connecting
 * @param nodes              the node map, validated
 * @param nodeMap            the node map's file, for messages
 */
public record OpcUaSettings(String name, String endpoint, String securityPolicy, String securityMode,
                            String username, String password, Path pkiDir, boolean subscribe,
                            Duration samplingInterval, Duration publishingInterval, double deadband,
                            Duration pollInterval, Duration timeout, List<NodeSpec> nodes,
                            Path nodeMap) implements SourceSettings {

    public OpcUaSettings {
        nodes = List.copyOf(nodes);
    }

    @Override
    public String toString() {
        // Never the password in a log line.
        return "opcua " + name + " " + endpoint + " " + securityPolicy + "/" + securityMode
                + (username == null ? " anonymous" : " as " + username);
    }
}
