package io.cellwatch.broker;

import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.ClusterSettings;
import io.cellwatch.extension.config.NodeRole;

import java.io.IOException;
import java.nio.file.Path;

/** cellwatch nodes in cluster roles for tests, linked by a real Kafka broker ({@code KafkaTestBroker}). */
final class TestCluster {

    private TestCluster() {
    }

    /** A {@link TestServers#config} for {@code dir} running {@code role} as {@code nodeId} against Kafka. */
    static ServerConfig config(final Path dir, final NodeRole role, final String nodeId,
                               final String bootstrapServers) throws IOException {
        final ServerConfig config = TestServers.config(dir);
        return config.withExtension(config.extension().withCluster(ClusterSettings.defaults()
                .withRole(role, nodeId, bootstrapServers)));
    }

    /** A started node; the caller closes it. */
    static CellwatchServer start(final Path dir, final NodeRole role, final String nodeId,
                                 final String bootstrapServers) throws IOException {
        final CellwatchServer server = new CellwatchServer(config(dir, role, nodeId, bootstrapServers));
        server.start();
        return server;
    }
}
