package io.cellwatch.edge.config;

/** One broker a gateway can connect to: an ingest node of a cluster, or the only cellwatch. */
public record BrokerEndpoint(String host, int port) {

    public BrokerEndpoint {
        if (host == null || host.isEmpty() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("bad broker endpoint " + host + ":" + port);
        }
    }
}
