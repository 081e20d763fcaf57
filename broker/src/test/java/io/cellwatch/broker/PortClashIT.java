package io.cellwatch.broker;

import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second server started with a port the first one holds exits with code 2 and one line on stderr naming the port
 * and the setting; an environment variable overrides the config file. Runs the real jar, as an admin would.
 */
@Timeout(180)
class PortClashIT {

    @TempDir
    static Path dir;
    static CellwatchServer first;

    @BeforeAll
    static void startFirst() throws Exception {
        first = TestServers.start(dir.resolve("first"));
    }

    @AfterAll
    static void stopFirst() {
        first.close();
    }

    /** The jar's exit code, stdout and stderr. */
    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Run runJar(final Path workDir, final Map<String, String> env, final String... args)
            throws Exception {
        Files.createDirectories(workDir);
        TestAccess.write(workDir.resolve("conf"));
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of(System.getProperty("cellwatch.jar", "target/cellwatch.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("out.txt").toFile()).redirectError(workDir.resolve("err.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CELLWATCH_"));
        builder.environment().putAll(env);
        final Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the second server did not exit");
        }
        return new Run(process.exitValue(), Files.readString(workDir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(workDir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void aSecondServerOnTheSameHttpPortSaysSoInOneLineAndExitsWith2() throws Exception {
        final int httpPort = first.httpPort();

        final Run run = runJar(dir.resolve("second-http"), Map.of(), "--http-port=" + httpPort,
                "--mqtt-port=" + TestServers.freePort(), "--data=data");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("cellwatch: HTTP port " + httpPort + " on 0.0.0.0 is already in use"
                + " (Address already in use); stop what holds it or set http.port in cellwatch.properties,"
                + " CELLWATCH_HTTP_PORT or --http-port");
        assertThat(run.out()).doesNotContain("Exception");
    }

    @Test
    void aSecondServerOnTheSameMqttPortSaysSoInOneLineAndExitsWith2() throws Exception {
        final int mqttPort = first.mqttPort();

        final Run run = runJar(dir.resolve("second-mqtt"), Map.of(), "--mqtt-port", Integer.toString(mqttPort),
                "--http-port", Integer.toString(TestServers.freePort()));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("cellwatch: MQTT port " + mqttPort + " on 0.0.0.0 is already in use")
                .contains("mqtt.port", "CELLWATCH_MQTT_PORT", "--mqtt-port");
    }

    @Test
    void anEnvironmentVariableOverridesTheFileAndAFlagOverridesBoth() throws Exception {
        final Path work = dir.resolve("env");
        Files.createDirectories(work.resolve("conf"));
        Files.writeString(work.resolve("conf").resolve(ServerConfig.FILE_NAME),
                "http.port = " + TestServers.freePort() + "\nmqtt.port = " + TestServers.freePort() + "\n");
        final int httpPort = first.httpPort();

        // The file's ports are free; the environment names the first server's HTTP port: that one is refused.
        final Run fromEnv = runJar(work, Map.of("CELLWATCH_HTTP_PORT", Integer.toString(httpPort)));
        assertThat(fromEnv.exit()).isEqualTo(2);
        assertThat(fromEnv.errLines()).singleElement().asString()
                .startsWith("cellwatch: HTTP port " + httpPort + " on 0.0.0.0 is already in use");

        // A flag wins over the environment (the flag's port is taken, the environment's is free).
        final Run fromFlag = runJar(work, Map.of("CELLWATCH_HTTP_PORT", Integer.toString(TestServers.freePort())),
                "--http-port=" + httpPort);
        assertThat(fromFlag.exit()).isEqualTo(2);
        assertThat(fromFlag.errLines()).singleElement().asString()
                .startsWith("cellwatch: HTTP port " + httpPort + " on 0.0.0.0 is already in use");

        // A misspelt variable is an error naming it, not a silent default.
        final Run typo = runJar(work, Map.of("CELLWATCH_HTTP_PROT", "9999"));
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("environment: CELLWATCH_HTTP_PROT: names no setting");
    }

    @Test
    void versionIsPrinted() throws Exception {
        final Run run = runJar(dir.resolve("version"), Map.of(), "--version");

        assertThat(run.exit()).isZero();
        assertThat(run.out().strip()).matches("cellwatch \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void helpAndBareHelpPrintUsageToStdoutAndExitZero() throws Exception {
        for (final String asked : List.of("--help", "help")) {
            final Run run = runJar(dir.resolve("help" + asked), Map.of(), asked);

            assertThat(run.exit()).as(asked).isZero();
            assertThat(run.out()).as(asked).startsWith("usage: java -jar cellwatch.jar").contains("--demo");
            assertThat(run.err()).as(asked).isEmpty();
        }
    }
}
