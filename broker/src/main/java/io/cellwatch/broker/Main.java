package io.cellwatch.broker;

import io.cellwatch.broker.config.CommandLine;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.broker.demo.DemoFleet;
import io.cellwatch.extension.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** {@code java -jar cellwatch.jar [--demo] …}: starts the server and says what listens where. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(final String[] args) {
        final long started = System.nanoTime();
        try {
            final CommandLine.Parsed parsed = CommandLine.parse(args);
            if (parsed.help()) {
                System.out.print(CommandLine.USAGE);
                return;
            }
            run(parsed.config(), started);
        } catch (final ConfigException e) {
            System.err.println("cellwatch: " + e.getMessage());
            System.exit(2);
        } catch (final Exception | Error e) {
            // HiveMQ's threads would keep a half-started JVM alive: say why and exit.
            log.error("cellwatch failed to start", e);
            System.err.println("cellwatch: failed to start: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(final ServerConfig config, final long started) throws Exception {
        final CellwatchServer server = new CellwatchServer(config);
        server.start();
        final DemoFleet demo = config.demo() ? DemoFleet.standard("localhost", config.mqttPort()) : null;
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
        System.out.printf("""
                cellwatch started in %d ms
                  MQTT       %s:%d
                  REST       %s/api/v1/tree  %s/api/v1/snapshot?path=…  %s/api/v1/history?series=…
                  WebSocket  %s/api/v1/live
                  metrics    %s/metrics
                  data       %s
                """, millis, config.mqttHost(), config.mqttPort(), http, http, http, http.replace("http", "ws"), http,
                config.dataDir().toAbsolutePath());
        if (demo != null) {
            System.out.printf("  demo       %s%n", demo.describe());
        }
    }

    private static String displayHost(final String bindHost) {
        return bindHost.equals("0.0.0.0") ? "localhost" : bindHost;
    }
}
