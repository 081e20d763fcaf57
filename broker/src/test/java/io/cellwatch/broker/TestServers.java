package io.cellwatch.broker;

import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.ConfigErrors;
import io.cellwatch.extension.config.OpsSettings;
import io.cellwatch.testing.FreePorts;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts real cellwatch servers for tests: free ports, a temporary data folder, broker sessions in memory, access
 * control on with the {@link TestAccess} logins.
 */
public final class TestServers {

    private TestServers() {
    }

    public static int freePort() {
        return FreePorts.one();
    }

    /** A config for {@code dir} with free MQTT and HTTP ports, and the {@link TestAccess} logins. */
    public static ServerConfig config(final Path dir) throws IOException {
        TestAccess.write(dir.resolve("conf"));
        final ConfigErrors errors = new ConfigErrors();
        final int[] ports = FreePorts.distinct(2);
        final ServerConfig config = ServerConfig.load(dir.resolve("conf"), errors)
                .withDataDir(dir.resolve("data"))
                .withMqttPort(ports[0])
                .withHttpPort(ports[1])
                .withInMemoryBroker(true);
        errors.throwIfAny();
        return config;
    }

    /**
     * {@code config} with the synthetic probe every {@code seconds} and each probe hop given {@code lagSeconds} (the
     * history lag bound); {@code /readyz} then fails after {@code 3 × seconds + lagSeconds} without a probe through.
     */
    public static ServerConfig withProbe(final ServerConfig config, final int seconds, final int lagSeconds) {
        return config.withExtension(config.extension().withOps(new OpsSettings(lagSeconds, seconds)));
    }

    /** A started server; the caller closes it. */
    public static CellwatchServer start(final Path dir) throws IOException {
        final CellwatchServer server = new CellwatchServer(config(dir));
        server.start();
        return server;
    }
}
