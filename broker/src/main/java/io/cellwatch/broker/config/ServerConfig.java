package io.cellwatch.broker.config;

import io.cellwatch.extension.config.ConfigErrors;
import io.cellwatch.extension.config.ConfigFile;
import io.cellwatch.extension.config.ExtensionSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Everything the cellwatch server is configured with: the MQTT listener, folders, persistence, demo mode and the
 * extension's settings. Read from {@code conf/cellwatch.properties}; command-line flags override the file.
 *
 * @param confDir            folder holding {@code cellwatch.properties}
 * @param mqttHost           interface the MQTT listener binds to
 * @param mqttPort           MQTT port
 * @param receiveMaximum     in-flight QoS 1/2 publishes per client (HiveMQ's default of 10 caps QoS 1 throughput)
 * @param inMemoryBroker     broker sessions in memory instead of on disk (tests, throwaway runs)
 * @param demo               start simulated plants
 * @param extension          the extension's settings (HTTP, ingest limits, live frames)
 */
public record ServerConfig(Path confDir, String mqttHost, int mqttPort, int receiveMaximum,
                           boolean inMemoryBroker, boolean demo, ExtensionSettings extension) {

    public static final String FILE_NAME = "cellwatch.properties";
    public static final String MQTT_HOST = "mqtt.host";
    public static final String MQTT_PORT = "mqtt.port";
    public static final String RECEIVE_MAXIMUM = "mqtt.receive-maximum";
    public static final String PERSISTENCE = "mqtt.persistence";

    private static final Set<String> BROKER_KEYS = Set.of(MQTT_HOST, MQTT_PORT, RECEIVE_MAXIMUM, PERSISTENCE);

    /**
     * Reads {@code confDir/cellwatch.properties} (absent = all defaults) and validates every value.
     *
     * @throws io.cellwatch.extension.config.ConfigException listing every error as {@code file:line: key: problem}
     */
    public static ServerConfig load(final Path confDir, final ConfigErrors errors) throws IOException {
        final ConfigFile file = ConfigFile.read(confDir.resolve(FILE_NAME), errors);
        final Set<String> known = new HashSet<>(BROKER_KEYS);
        known.addAll(ExtensionSettings.KEYS);
        file.rejectUnknownKeys(known, errors);
        final String persistence = file.stringValue(PERSISTENCE, "file", errors);
        if (!persistence.equals("file") && !persistence.equals("in-memory")) {
            errors.add(file.source(), file.entry(PERSISTENCE).map(ConfigFile.Entry::line).orElse(0), PERSISTENCE,
                    "'" + persistence + "' is not 'file' or 'in-memory'");
        }
        return new ServerConfig(confDir,
                file.stringValue(MQTT_HOST, "0.0.0.0", errors),
                file.intValue(MQTT_PORT, 1883, 0, 65535, errors),
                file.intValue(RECEIVE_MAXIMUM, 1000, 1, 65535, errors),
                persistence.equals("in-memory"),
                false,
                ExtensionSettings.from(file, errors, confDir));
    }

    /** Folder for everything cellwatch writes: broker state, WAL, history. */
    public Path dataDir() {
        return extension.dataDir();
    }

    public ServerConfig withDataDir(final Path dir) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, demo,
                extension.withDataDir(dir));
    }

    public ServerConfig withMqttPort(final int port) {
        return new ServerConfig(confDir, mqttHost, port, receiveMaximum, inMemoryBroker, demo, extension);
    }

    public ServerConfig withHttpPort(final int port) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, demo,
                extension.withHttpPort(port));
    }

    public ServerConfig withInMemoryBroker(final boolean inMemory) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemory, demo, extension);
    }

    public ServerConfig withDemo(final boolean on) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, on, extension);
    }

    /** A copy with other extension settings. */
    public ServerConfig withExtension(final ExtensionSettings settings) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, demo, settings);
    }
}
