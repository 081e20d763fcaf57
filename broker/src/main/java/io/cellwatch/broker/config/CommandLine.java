package io.cellwatch.broker.config;

import io.cellwatch.extension.config.ConfigErrors;
import io.cellwatch.extension.config.ConfigException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the command line into a {@link ServerConfig}: {@code --conf} (or {@code CELLWATCH_CONF}) picks the config
 * folder; flags override environment variables, which override the file, which overrides the defaults. A flag's
 * value follows it ({@code --http-port 8081}) or an equals sign ({@code --http-port=8081}). Every bad flag is
 * reported with the flag's name, together with the file's and the environment's errors.
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
              --log-format F       plain (default) or json: one JSON object per line
              --version            print the version
              --help, help         print this help
            Every setting of cellwatch.properties can also be set by an environment variable: http.port is
            CELLWATCH_HTTP_PORT (upper case, '.' and '-' become '_'); CELLWATCH_CONF names the config folder.
            Precedence: flag > environment > file > default.
            or:    java -jar cellwatch.jar passwd [-c | -D] [-b] FILE USER [PASSWORD]
              add, change or delete a user of a password file, like mosquitto_passwd
            """;

    /** The parsed command line: help or the version was asked for, or a validated config. */
    public record Parsed(boolean help, boolean version, ServerConfig config) {
    }

    private CommandLine() {
    }

    /** {@link #parse(String[], Map)} with this process's environment. */
    public static Parsed parse(final String[] args) throws IOException {
        return parse(args, System.getenv());
    }

    /** @throws ConfigException naming every bad flag and every error of the config file and the environment */
    public static Parsed parse(final String[] given, final Map<String, String> env) throws IOException {
        final String[] args = splitEquals(given);
        final ConfigErrors errors = new ConfigErrors();
        Path conf = Path.of(env.getOrDefault(ServerConfig.CONF_ENV, "conf"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h") || i == 0 && args[i].equals("help")) {
                return new Parsed(true, false, null);
            }
            if (args[i].equals("--version")) {
                return new Parsed(false, true, null);
            }
            if (args[i].equals("--conf") && i + 1 < args.length) {
                conf = Path.of(args[i + 1]);
            }
        }
        ServerConfig config = ServerConfig.load(conf, env, errors);
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
                case "--log-format" -> {
                    if (hasValue(args, i, errors)) {
                        final String format = args[++i];
                        if (format.equals("plain") || format.equals("json")) {
                            config = config.withLogFormat(format);
                        } else {
                            errors.add("command line", 0, flag, "'" + format + "' is not 'plain' or 'json'");
                        }
                    }
                }
                default -> errors.add("command line", 0, flag, "unknown option; see --help");
            }
        }
        errors.throwIfAny();
        return new Parsed(false, false, config);
    }

    /** {@code --flag=value} becomes {@code --flag value}. */
    private static String[] splitEquals(final String[] args) {
        final List<String> split = new ArrayList<>();
        for (final String arg : args) {
            final int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                split.add(arg.substring(0, eq));
                split.add(arg.substring(eq + 1));
            } else {
                split.add(arg);
            }
        }
        return split.toArray(String[]::new);
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
