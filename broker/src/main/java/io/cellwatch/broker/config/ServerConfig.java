package io.cellwatch.broker.config;

import io.cellwatch.extension.config.ConfigErrors;
import io.cellwatch.extension.config.ConfigFile;
import io.cellwatch.extension.config.ExtensionSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything the cellwatch server is configured with: the MQTT listener, folders, persistence, demo mode and the
 * extension's settings. Precedence: command-line flag, then environment variable ({@code CELLWATCH_HTTP_PORT} for
 * {@code http.port}), then {@code conf/cellwatch.properties}, then the default.
 *
 * @param confDir            folder holding {@code cellwatch.properties}
 * @param mqttHost           interface the MQTT listener binds to
 * @param mqttPort           MQTT port
 * @param receiveMaximum     in-flight QoS 1/2 publishes per client (HiveMQ's default of 10 caps QoS 1 throughput)
 * @param inMemoryBroker     broker sessions in memory instead of on disk (tests, throwaway runs)
 * @param demo               start simulated plants
 * @param extension          the extension's settings (HTTP, ingest limits, live frames)
 * @param logFormat          {@code plain} (one line per event) or {@code json} (one JSON object per line)
 */
public record ServerConfig(Path confDir, String mqttHost, int mqttPort, int receiveMaximum,
                           boolean inMemoryBroker, boolean demo, ExtensionSettings extension,
                           String logFormat) {

    public static final String FILE_NAME = "cellwatch.properties";
    public static final String MQTT_HOST = "mqtt.host";
    public static final String MQTT_PORT = "mqtt.port";
    public static final String RECEIVE_MAXIMUM = "mqtt.receive-maximum";
    public static final String PERSISTENCE = "mqtt.persistence";
    public static final String LOG_FORMAT = "log.format";
    /** The environment variable naming the config folder (what {@code --conf} sets); not a setting itself. */
    public static final String CONF_ENV = "CELLWATCH_CONF";

    private static final Set<String> BROKER_KEYS = Set.of(MQTT_HOST, MQTT_PORT, RECEIVE_MAXIMUM, PERSISTENCE,
            LOG_FORMAT);

    /** Every setting of {@code cellwatch.properties}, each also an environment variable. */
    public static Set<String> keys() {
        final Set<String> known = new HashSet<>(BROKER_KEYS);
        known.addAll(ExtensionSettings.KEYS);
        return known;
    }

    /** {@link #load(Path, Map, ConfigErrors)} without environment overrides (tests). */
    public static ServerConfig load(final Path confDir, final ConfigErrors errors) throws IOException {
        return load(confDir, Map.of(), errors);
    }

    /**
     * Reads {@code confDir/cellwatch.properties} (absent = all defaults) and validates every value.
     *
     * @throws io.cellwatch.extension.config.ConfigException listing every error as {@code file:line: key: problem}
     */
    public static ServerConfig load(final Path confDir, final Map<String, String> env, final ConfigErrors errors)
            throws IOException {
        final Set<String> known = keys();
        final ConfigFile read = ConfigFile.read(confDir.resolve(FILE_NAME), errors);
        read.rejectUnknownKeys(known, errors);
        final ConfigFile file = read.withEnvironment(env, known, Set.of(CONF_ENV), errors);
        final String persistence = file.stringValue(PERSISTENCE, "file", errors);
        if (!persistence.equals("file") && !persistence.equals("in-memory")) {
            errors.add(file.source(), file.entry(PERSISTENCE).map(ConfigFile.Entry::line).orElse(0), PERSISTENCE,
                    "'" + persistence + "' is not 'file' or 'in-memory'");
        }
        final String logFormat = file.stringValue(LOG_FORMAT, "plain", errors);
        if (!logFormat.equals("plain") && !logFormat.equals("json")) {
            errors.add(file.entry(LOG_FORMAT).map(e -> e.origin() != null ? e.origin() : file.source())
                            .orElse(file.source()), file.entry(LOG_FORMAT).map(ConfigFile.Entry::line).orElse(0),
                    LOG_FORMAT, "'" + logFormat + "' is not 'plain' or 'json'");
        }
        return new ServerConfig(confDir,
                file.stringValue(MQTT_HOST, "0.0.0.0", errors),
                file.intValue(MQTT_PORT, 1883, 0, 65535, errors),
                file.intValue(RECEIVE_MAXIMUM, 1000, 1, 65535, errors),
                persistence.equals("in-memory"),
                false,
                ExtensionSettings.from(file, errors, confDir),
                logFormat);
    }

    /** Folder for everything cellwatch writes: broker state, WAL, history. */
    public Path dataDir() {
        return extension.dataDir();
    }

    public ServerConfig withDataDir(final Path dir) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, demo,
                extension.withDataDir(dir), logFormat);
    }

    public ServerConfig withMqttPort(final int port) {
        return new ServerConfig(confDir, mqttHost, port, receiveMaximum, inMemoryBroker, demo, extension, logFormat);
    }

    public ServerConfig withHttpPort(final int port) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, demo,
                extension.withHttpPort(port), logFormat);
    }

    public ServerConfig withInMemoryBroker(final boolean inMemory) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemory, demo, extension, logFormat);
    }

    public ServerConfig withDemo(final boolean on) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, on, extension, logFormat);
    }

    /** A copy logging in {@code format} ({@code plain} or {@code json}). */
    public ServerConfig withLogFormat(final String format) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, demo, extension, format);
    }

    /** A copy with other extension settings. */
    public ServerConfig withExtension(final ExtensionSettings settings) {
        return new ServerConfig(confDir, mqttHost, mqttPort, receiveMaximum, inMemoryBroker, demo, settings, logFormat);
    }
}
