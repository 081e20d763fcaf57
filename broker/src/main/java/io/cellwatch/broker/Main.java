package io.cellwatch.broker;

import io.cellwatch.broker.config.CommandLine;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.acl.password.PasswdCommand;
import io.cellwatch.acl.password.PasswordPrompt;
import io.cellwatch.broker.demo.DemoAccess;
import io.cellwatch.broker.demo.DemoFleet;
import io.cellwatch.broker.demo.DemoPlant;
import io.cellwatch.extension.config.AuthSettings;
import io.cellwatch.extension.config.ExtensionSettings;
import io.cellwatch.extension.config.TlsSettings;
import io.cellwatch.extension.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar cellwatch.jar [--demo] …}: starts the server and says what listens where;
 * {@code java -jar cellwatch.jar passwd …} manages a password file like {@code mosquitto_passwd}.
 */
public final class Main {

    /** System property logback.xml picks the appender by; set before the first logger exists. */
    static final String LOG_FORMAT_PROPERTY = "cellwatch.log.format";
    /** Exit code of a start refused for a bad setting or a taken port. */
    static final int EXIT_CONFIG = 2;

    private Main() {
    }

    public static void main(final String[] args) {
        final long started = System.nanoTime();
        if (args.length > 0 && args[0].equals("passwd")) {
            System.exit(PasswdCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err,
                    PasswordPrompt.console()));
            return;
        }
        try {
            final CommandLine.Parsed parsed = CommandLine.parse(args);
            if (parsed.help()) {
                System.out.print(CommandLine.USAGE);
                return;
            }
            if (parsed.version()) {
                System.out.println("cellwatch " + version());
                return;
            }
            // Logging starts here, so that the first line already has the chosen format.
            System.setProperty(LOG_FORMAT_PROPERTY, parsed.config().logFormat());
            run(parsed.config(), started);
        } catch (final ConfigException e) {
            System.err.println("cellwatch: " + e.getMessage());
            System.exit(EXIT_CONFIG);
        } catch (final PortTakenException e) {
            // One line per taken port, nothing else: the admin sees what to change.
            System.err.println(e.getMessage());
            System.exit(EXIT_CONFIG);
        } catch (final IllegalStateException e) {
            // A start the server refused (access files invalid): the message says it all.
            log().debug("start refused", e);
            System.err.println("cellwatch: failed to start: " + e.getMessage());
            System.exit(1);
        } catch (final Exception | Error e) {
            // HiveMQ's threads would keep a half-started JVM alive: say why and exit.
            log().error("cellwatch failed to start", e);
            System.err.println("cellwatch: failed to start: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Logger log() {
        return LoggerFactory.getLogger(Main.class);
    }

    /** The version in the jar's manifest, or {@code dev} when run from classes. */
    static String version() {
        final String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static void run(final ServerConfig configured, final long started) throws Exception {
        final List<DemoPlant> plants = DemoFleet.standardPlants();
        final DemoAccess demoAccess = configured.demo()
                ? DemoAccess.prepare(configured.dataDir().resolve("demo-access"), plants) : null;
        final ServerConfig config = demoAccess == null ? configured : withDemoAccess(configured, demoAccess);
        final CellwatchServer server = new CellwatchServer(config);
        server.start();
        final DemoFleet demo = demoAccess == null ? null
                : new DemoFleet(plants, "localhost", server.mqttPort(), demoAccess,
                        config.dataDir().resolve("demo-gateways"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (demo != null) {
                demo.close();
            }
            server.close();
        }, "cellwatch-shutdown"));
        if (demo != null) {
            demo.start();
        }
        final long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        final String http = "http://" + displayHost(config.extension().httpHost()) + ":" + server.httpPort();
        final StringBuilder report = new StringBuilder();
        report.append(String.format("""
                cellwatch started in %d ms
                  MQTT       %s:%d
                """, millis, config.mqttHost(), server.mqttPort()));
        final TlsSettings tls = config.extension().tls();
        if (tls.enabled()) {
            report.append(String.format("  MQTT/TLS   %s:%d%n  HTTPS      https://%s:%d%n", config.mqttHost(),
                    tls.mqttPort(), displayHost(config.extension().httpHost()), server.httpsPort()));
        }
        report.append(String.format("""
                  REST       %s/api/v1/login  %s/api/v1/tree  %s/api/v1/snapshot?path=…  %s/api/v1/history?series=…
                  WebSocket  %s/api/v1/live
                  metrics    %s/metrics
                  data       %s
                """, http, http, http, http, http.replace("http", "ws"), http, config.dataDir().toAbsolutePath()));
        report.append(access(config));
        if (demo != null) {
            report.append(String.format("  demo       %s%n", demo.describe()));
            report.append(demoLogins(demoAccess, config.mqttPort()));
        }
        System.out.print(report);
    }

    private static ServerConfig withDemoAccess(final ServerConfig config, final DemoAccess access) {
        final ExtensionSettings extension = config.extension();
        return config.withExtension(extension.withAuth(
                extension.auth().withFiles(access.passwordFile(), access.aclFile())));
    }

    private static String access(final ServerConfig config) {
        final AuthSettings auth = config.extension().auth();
        if (!auth.enabled()) {
            return "  access     OFF (auth.enabled = false): anyone may read and write everything\n";
        }
        return String.format("  access     users %s, rules %s (edits apply within 2 s)%n",
                auth.passwordFile().toAbsolutePath(), auth.aclFile().toAbsolutePath());
    }

    private static String demoLogins(final DemoAccess access, final int mqttPort) {
        final StringBuilder out = new StringBuilder("  demo logins (user / password; MQTT and dashboard):\n");
        access.passwords().forEach((user, password) ->
                out.append(String.format("             %-20s %s%n", user, password)));
        out.append(String.format("  try        mosquitto_pub -p %d -u %s -P %s -t tenants/t1/plants/p9/racks/r1/packs/k1/cells/1/voltage -m 3.7%n",
                mqttPort, DemoAccess.ADMIN, access.password(DemoAccess.ADMIN)));
        return out.toString();
    }

    private static String displayHost(final String bindHost) {
        return bindHost.equals("0.0.0.0") ? "localhost" : bindHost;
    }
}
