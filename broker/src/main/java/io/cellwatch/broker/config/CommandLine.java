package io.cellwatch.broker.config;

import io.cellwatch.extension.config.ConfigErrors;
import io.cellwatch.extension.config.ConfigException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Parses the command line into a {@link ServerConfig}: {@code --conf} picks the config folder, other flags override
 * the file. Every bad flag is reported with the flag's name, together with the file's errors.
 */
public final class CommandLine {

    /** Printed by {@code --help}. */
    public static final String USAGE = """
            usage: java -jar cellwatch.jar [options]
              --demo               start simulated plants publishing live data
              --conf DIR           config folder holding cellwatch.properties (default: conf)
              --data DIR           data folder (default: data, or data.dir in the config file)
              --mqtt-port N        MQTT port (default: 1883)
              --http-port N        HTTP port for dashboard, API and /metrics (default: 8080)
              --in-memory          keep broker sessions in memory only (nothing of the broker is written to disk)
              --help               print this help
            or:    java -jar cellwatch.jar passwd [-c | -D] [-b] FILE USER [PASSWORD]
              add, change or delete a user of a password file, like mosquitto_passwd
            """;

    /** The parsed command line: either help was asked for, or a validated config. */
    public record Parsed(boolean help, ServerConfig config) {
    }

    private CommandLine() {
    }

    /** @throws ConfigException naming every bad flag and every error of the config file */
    public static Parsed parse(final String[] args) throws IOException {
        final ConfigErrors errors = new ConfigErrors();
        Path conf = Path.of("conf");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                return new Parsed(true, null);
            }
            if (args[i].equals("--conf") && i + 1 < args.length) {
                conf = Path.of(args[i + 1]);
            }
        }
        ServerConfig config = ServerConfig.load(conf, errors);
        for (int i = 0; i < args.length; i++) {
            final String flag = args[i];
            switch (flag) {
                case "--demo" -> config = config.withDemo(true);
                case "--in-memory" -> config = config.withInMemoryBroker(true);
                case "--conf" -> i = skipValue(args, i, errors);
                case "--data" -> {
                    if (hasValue(args, i, errors)) {
                        config = config.withDataDir(Path.of(args[++i]));
                    }
                }
                case "--mqtt-port" -> {
                    if (hasValue(args, i, errors)) {
                        config = config.withMqttPort(port(flag, args[++i], config.mqttPort(), errors));
                    }
                }
                case "--http-port" -> {
                    if (hasValue(args, i, errors)) {
                        config = config.withHttpPort(port(flag, args[++i], config.extension().httpPort(), errors));
                    }
                }
                default -> errors.add("command line", 0, flag, "unknown option; see --help");
            }
        }
        errors.throwIfAny();
        return new Parsed(false, config);
    }

    private static boolean hasValue(final String[] args, final int i, final ConfigErrors errors) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            errors.add("command line", 0, args[i], "needs a value");
            return false;
        }
        return true;
    }

    private static int skipValue(final String[] args, final int i, final ConfigErrors errors) {
        return hasValue(args, i, errors) ? i + 1 : i;
    }

    private static int port(final String flag, final String value, final int fallback, final ConfigErrors errors) {
        try {
            final int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (final NumberFormatException ignored) {
            // reported below
        }
        errors.add("command line", 0, flag, "'" + value + "' is not a port (0..65535)");
        return fallback;
    }
}
