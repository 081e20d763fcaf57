package io.cellwatch.broker.edge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway jar as its own process, as systemd runs it: {@code run} with its log in a file, {@code status}. */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private GatewayProcess(final Process process, final Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -jar cellwatch-gateway.jar run CONF}, stdout and stderr into {@code log}. */
    static GatewayProcess run(final Path conf, final Path log) throws Exception {
        return new GatewayProcess(new ProcessBuilder(java(), "-jar", System.getProperty("gateway.jar"), "run",
                conf.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** What {@code java -jar cellwatch-gateway.jar status CONF} prints. */
    static String status(final Path conf) throws Exception {
        final Process status = new ProcessBuilder(java(), "-jar", System.getProperty("gateway.jar"), "status",
                conf.toString()).redirectErrorStream(true).start();
        final String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The log's lines so far. */
    List<String> logLines() throws Exception {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    /** The log so far. */
    String log() throws Exception {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Stops it as systemd does (SIGTERM) and waits for it. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
