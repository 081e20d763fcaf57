package io.cellwatch.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one-node KRaft {@code server.properties}: broker and controller in one process, loopback only. */
final class ServerProperties {

    private static final String LOOPBACK = "127.0.0.1";

    private ServerProperties() {
    }

    /** Writes the properties for a node listening on {@code port} (clients) and {@code controllerPort} (KRaft). */
    static void write(Path file, Path logDir, int port, int controllerPort) {
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                // A static voter set, so the log folder is formatted without --standalone.
                "controller.quorum.voters=1@" + LOOPBACK + ":" + controllerPort,
                "listeners=PLAINTEXT://" + LOOPBACK + ":" + port + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + LOOPBACK + ":" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir,
                // One node: every internal topic with one replica.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // Fewer internal partitions than the default 50: the first consumer group and the first
                // transactional producer wait for all of them to be created.
                "offsets.topic.num.partitions=4",
                "transaction.state.log.num.partitions=4",
                "group.initial.rebalance.delay.ms=0",
                // A restarted node finds its previous incarnation still registered and may register again only
                // once that session expired (default 9 s, which made every restart take ~14 s).
                "broker.heartbeat.interval.ms=500",
                "broker.session.timeout.ms=3000",
                "");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
