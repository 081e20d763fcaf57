package io.cellwatch.broker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new user does: start the runnable jar with the README's {@code java -jar … --demo}, publish with
 * {@code mosquitto_pub} and the printed admin login, and see the series over REST within a second, with no
 * configuration. Needs {@code mosquitto-clients}.
 */
@Timeout(120)
class RunnableJarIT {

    @TempDir
    Path workDir;
    ServerProcess server;
    int mqttPort;
    int httpPort;

    @BeforeEach
    void startJar() throws Exception {
        mqttPort = TestServers.freePort();
        httpPort = TestServers.freePort();
        server = ServerProcess.start(workDir, "--demo", "--mqtt-port", Integer.toString(mqttPort),
                "--http-port", Integer.toString(httpPort));
    }

    @AfterEach
    void stopJar() throws Exception {
        server.close();
    }

    @Test
    void mosquittoPubMakesANewSeriesVisibleOverRestWithinOneSecond() throws Exception {
        final String series = "tenants/t1/plants/p9/racks/r1/packs/k1/cells/1/voltage";
        final String password = adminPassword();
        final HttpApi api = new HttpApi(httpPort, "admin", password);
        // The second that follows is for the publish to show, not for the first login's password hashing.
        assertThat(api.treePaths()).doesNotContain("tenants/t1/plants/p9/racks/r1/packs/k1/cells/1");
        final Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort),
                "-u", "admin", "-P", password, "-t", series, "-m", "3.7").redirectErrorStream(true).start();
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(api.treePaths()).contains("tenants/t1/plants/p9/racks/r1/packs/k1/cells/1");
            assertThat(api.latest(series)).isEqualTo(3.7);
        });
    }

    @Test
    void withoutCredentialsMosquittoPubIsRefused() throws Exception {
        final Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort),
                "-t", "tenants/t1/plants/p9/voltage", "-m", "3.7").redirectErrorStream(true).start();
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).isNotZero();
        assertThat(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).containsIgnoringCase("refused");
    }

    /** The demo admin's password, as the start-up report prints it. */
    private String adminPassword() {
        final Pattern login = Pattern.compile("(?m)^\\s+admin\\s+(\\S+)$");
        await().atMost(Duration.ofSeconds(5)).until(() -> login.matcher(server.output()).find());
        final Matcher matcher = login.matcher(server.output());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    @Test
    void startupReportSaysWhatListensWhereAndHowLongItTook() {
        assertThat(server.readyLine()).contains("cellwatch started in");
        assertThat(server.output()).contains("MQTT       0.0.0.0:" + mqttPort)
                .contains("http://localhost:" + httpPort + "/api/v1/tree")
                .contains("ws://localhost:" + httpPort + "/api/v1/live");
        assertThat(Files.isDirectory(workDir.resolve("data"))).as("data under ./data by default").isTrue();
    }
}
