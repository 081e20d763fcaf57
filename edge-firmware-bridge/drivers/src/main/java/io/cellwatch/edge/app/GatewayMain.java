package io.cellwatch.edge.app;

import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.buffer.DiskBuffer;
import io.cellwatch.edge.config.ConfigException;
import io.cellwatch.edge.config.GatewayConfig;
import io.cellwatch.edge.config.SourceSettings;
import io.cellwatch.edge.modbus.ModbusProbe;
import io.cellwatch.edge.modbus.ModbusRtuSettings;
import io.cellwatch.edge.modbus.ModbusSource;
import io.cellwatch.edge.modbus.ModbusTcpSettings;
import io.cellwatch.edge.opcua.OpcUaProbe;
import io.cellwatch.edge.opcua.OpcUaSettings;
import io.cellwatch.edge.sunspec.SunspecProbe;
import io.cellwatch.edge.sunspec.SunspecSettings;
import io.cellwatch.edge.sunspec.SunspecSource;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar cellwatch-gateway.jar run|check [--probe]|status <gateway.conf>}. Exit codes: 0 fine, 1 failed
 * at run time (or a probed map line did not read), 2 bad config (every problem printed with its file:line or field),
 * 64 bad usage; {@code --help} prints the usage to stdout and exits 0.
 */
public final class GatewayMain {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_CONFIG = 2;
    static final int USAGE = 64;

    /** Printed to stdout by {@code --help}/{@code help}, to stderr after a usage error. */
    static final String USAGE_TEXT = """
            usage: java -jar cellwatch-gateway.jar run|check|status <gateway.conf>
                   java -jar cellwatch-gateway.jar check --probe <gateway.conf>
              run     start the gateway (poll, buffer, publish) until stopped
              check   validate the config and register maps, print every problem, exit 2 if any
                      --probe: then read every Modbus request once from the live devices and print, per
                      register map line, OK and the value or the exact error; exit 1 if a line does not read;
                      a sunspec source: the models found on the device and whether each request reads;
                      an opcua source: connect, resolve every node id and browse path, read each node once
                      and print, per node map line, OK and the value or what the server said
              status  print the disk buffer's counters and each source's health as last written
              help    print this help (also --help, -h)
            """;

    private GatewayMain() {
    }

    public static void main(final String[] args) {
        LogFormat.configure(System.getenv());
        final int code = run(args, System.out, System.err);
        if (code != OK || args.length == 0 || !args[0].equals("run")) {
            System.exit(code);
        }
    }

    /** Runs a command (also from tests, without exiting the JVM); {@code run} blocks until the JVM is told to stop. */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.print(USAGE_TEXT);
            return OK;
        }
        final boolean probe = args.length == 3 && args[0].equals("check") && args[1].equals("--probe");
        if (!probe && (args.length != 2
                || !(args[0].equals("run") || args[0].equals("check") || args[0].equals("status")))) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        final String file = args[args.length - 1];
        final GatewayConfig config;
        try {
            config = GatewaySources.all().parse(Path.of(file));
        } catch (final ConfigException e) {
            err.println("cellwatch gateway: " + file + " has " + e.getMessage());
            return BAD_CONFIG;
        }
        try {
            return switch (args[0]) {
                case "check" -> {
                    out.println(file + ": OK, " + config.sources().size() + " sources");
                    yield probe ? probe(config, out) : OK;
                }
                case "status" -> status(config, out);
                default -> runUntilStopped(config);
            };
        } catch (final Exception | LinkageError e) {
            // Without this a failed start (e.g. Chronicle without its JVM flags) leaves MQTT threads running.
            err.println("cellwatch gateway failed: " + e);
            e.printStackTrace(err);
            return FAILED;
        }
    }

    /**
     * Reads every Modbus request once (a SunSpec source's after discovery) and every OPC-UA node once; other types
     * are listed as not probed.
     */
    private static int probe(final GatewayConfig config, final PrintStream out) {
        int lost = 0;
        for (final SourceSettings settings : config.sources()) {
            final ModbusSource source;
            final Path map;
            if (settings instanceof ModbusTcpSettings tcp) {
                source = ModbusSource.tcp(tcp, config.plantNode(), Clock.systemUTC());
                map = tcp.registerMap();
            } else if (settings instanceof ModbusRtuSettings rtu) {
                source = ModbusSource.rtu(rtu, config.plantNode(), Clock.systemUTC());
                map = rtu.registerMap();
            } else if (settings instanceof SunspecSettings sunspec) {
                try (ModbusSource discovering = SunspecSource.open(sunspec, config.plantNode(), Clock.systemUTC())) {
                    lost += SunspecProbe.probe(discovering, out);
                }
                continue;
            } else if (settings instanceof OpcUaSettings opcua) {
                lost += OpcUaProbe.probe(opcua, config.clientId(), out);
                continue;
            } else {
                out.println("source " + settings.name() + ": not probed (only Modbus, SunSpec and OPC-UA sources"
                        + " are)");
                continue;
            }
            try (source) {
                lost += ModbusProbe.probe(source, map, out);
            }
        }
        return lost == 0 ? OK : FAILED;
    }

    private static int status(final GatewayConfig config, final PrintStream out) {
        try (DiskBuffer buffer = DiskBuffer.open(config.buffer())) {
            out.println("buffer " + config.buffer().dir() + ": unsent=" + buffer.depth()
                    + " last-seq=" + buffer.lastSeq() + " acked-index=" + buffer.ackedIndex()
                    + " bytes=" + buffer.diskBytes()
                    + " max-bytes=" + config.buffer().maxBytes());
        }
        // The running gateway writes its sources' health every few seconds (and at stop).
        final java.nio.file.Path sources = config.buffer().dir().resolve(Gateway.STATUS_FILE);
        try {
            out.print(java.nio.file.Files.readString(sources));
        } catch (final java.io.IOException notYet) {
            out.println("sources: no " + sources + " yet (the gateway has not run here)");
        }
        return OK;
    }

    private static int runUntilStopped(final GatewayConfig config) throws Exception {
        final Gateway gateway = new Gateway(config, Clock.systemUTC(), GatewaySources.all());
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "cellwatch-gateway-shutdown"));
        gateway.start();
        stopped.await();
        return OK;
    }
}
