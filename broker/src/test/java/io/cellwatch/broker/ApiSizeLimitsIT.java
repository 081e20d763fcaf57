package io.cellwatch.broker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one request or WebSocket message may make the server hold: a text message past {@code live.max-message-bytes}
 * closes its socket with 1009 as soon as the limit is passed (finished or not), a body past
 * {@code http.max-body-bytes} is answered 413; other clients are served meanwhile.
 */
@Timeout(120)
class ApiSizeLimitsIT {

    private static final int CHUNK = 64 * 1024;

    @TempDir
    static Path dir;
    static CellwatchServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(dir);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void unfinishedHugeWebSocketMessageIsClosedWith1009AfterTheLimit() throws Exception {
        try (LiveClient attacker = new LiveClient(server.httpPort(), TestAccess.ACME_OPERATOR);
             LiveClient other = new LiveClient(server.httpPort(), TestAccess.NORDVOLT_OPERATOR)) {
            final String chunk = "x".repeat(CHUNK);
            attacker.sendPart("{\"op\":\"subscribe\",\"path\":\"", false).get(5, TimeUnit.SECONDS);
            long sent = 0;
            // Up to 64 MiB in fragments, never the last one: the old server buffered every byte and never answered.
            for (int i = 0; i < 1024 && !attacker.closedByServer().isDone(); i++) {
                try {
                    attacker.sendPart(chunk, false).get(5, TimeUnit.SECONDS);
                } catch (final ExecutionException closed) {
                    break;
                }
                sent += CHUNK;
            }
            assertThat(attacker.closedByServer().get(10, TimeUnit.SECONDS)).isEqualTo(1009);
            // Closed once past the 64 KiB limit; what the client could still write went into socket buffers.
            assertThat(sent).isLessThan(32L * 1024 * 1024);

            other.subscribe("tenants/nordvolt");
            assertThat(other.next(5).path("type").asText()).isEqualTo("snapshot");
        }
    }

    @Test
    void postBodyOverTheLimitIsRefusedWith413() throws Exception {
        final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/alerts/acknowledge?id=a1"))
                .header("Authorization", TestAccess.basic(TestAccess.ADMIN))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
        assertThat(HttpApi.JSON.readTree(answer.body()).path("error").asText()).contains("1048576");

        assertThat(new HttpApi(server.httpPort()).get("/api/v1/me").statusCode()).isEqualTo(200);
    }
}
