package io.cellwatch.broker.edge;

import io.cellwatch.broker.TestAccess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes gateway config files that publish into a test cellwatch as the acme gateway of {@link TestAccess}. */
final class GatewayFiles {

    static final String CLIENT_ID = "gw-acme-1";

    private GatewayFiles() {
    }

    /** A config in {@code dir} for MQTT port {@code mqttPort}, with {@code sources} appended as written. */
    static Path write(final Path dir, final int mqttPort, final String sources) throws IOException {
        return write(dir, "tcp://127.0.0.1:" + mqttPort, sources);
    }

    /** A config in {@code dir} for {@code brokerUrl} (one URL or a comma-separated list), {@code sources} appended. */
    static Path write(final Path dir, final String brokerUrl, final String sources) throws IOException {
        Files.createDirectories(dir);
        final Path conf = dir.resolve("gateway.conf");
        Files.writeString(conf, """
                tenant = acme
                plant = p1
                client-id = %s
                broker.url = %s
                broker.username = %s
                broker.password = %s
                buffer.dir = buffer
                reconnect.initial-delay = 100ms
                reconnect.max-delay = 1s

                %s
                """.formatted(CLIENT_ID, brokerUrl, CLIENT_ID, TestAccess.password(CLIENT_ID), sources));
        return conf;
    }
}
