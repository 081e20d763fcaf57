package io.cellwatch.broker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new user does: start the runnable jar with plain {@code java -jar}, publish with {@code mosquitto_pub},
 * and see the series over REST within a second, with no configuration. Needs {@code mosquitto-clients}.
 */
@Timeout(120)
class RunnableJarIT {

    @TempDir
    Path workDir;
    Process server;
    int mqttPort;
    int httpPort;
    final CompletableFuture<String> ready = new CompletableFuture<>();
    final StringBuffer output = new StringBuffer();

    @BeforeEach
    void startJar() throws Exception {
        final Path jar = Path.of(System.getProperty("cellwatch.jar", "target/cellwatch.jar"));
        assertThat(jar).as("runnable jar (built by mvn package)").exists();
        mqttPort = TestServers.freePort();
        httpPort = TestServers.freePort();
        server = new ProcessBuilder(javaBinary(), "-jar", jar.toAbsolutePath().toString(),
                "--mqtt-port", Integer.toString(mqttPort), "--http-port", Integer.toString(httpPort))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        final Thread reader = new Thread(this::readOutput, "jar-output");
        reader.setDaemon(true);
        reader.start();
        ready.get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopJar() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void mosquittoPubMakesANewSeriesVisibleOverRestWithinOneSecond() throws Exception {
        final String series = "tenants/t1/plants/p9/racks/r1/packs/k1/cells/1/voltage";
        final Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort),
                "-t", series, "-m", "3.7").redirectErrorStream(true).start();
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();

        final HttpApi api = new HttpApi(httpPort);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(api.treePaths()).contains("tenants/t1/plants/p9/racks/r1/packs/k1/cells/1");
            assertThat(api.latest(series)).isEqualTo(3.7);
        });
    }

    @Test
    void startupReportSaysWhatListensWhereAndHowLongItTook() {
        assertThat(ready.join()).contains("cellwatch started in");
        assertThat(output.toString()).contains("MQTT       0.0.0.0:" + mqttPort)
                .contains("http://localhost:" + httpPort + "/api/v1/tree")
                .contains("ws://localhost:" + httpPort + "/api/v1/live");
        assertThat(Files.isDirectory(workDir.resolve("data"))).as("data under ./data by default").isTrue();
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("cellwatch started in")) {
                    ready.complete(line);
                }
            }
            ready.completeExceptionally(new IllegalStateException("server exited before it was ready:\n" + output));
        } catch (final IOException e) {
            ready.completeExceptionally(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
