package io.cellwatch.broker;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * State-changing requests from another site are refused before anything acts: a browser that cached an admin's
 * Basic credentials sends them with a cross-site form post, and the {@code Origin} / {@code Sec-Fetch-Site} headers
 * it adds show where the post came from. Same-origin requests, and scripts that send neither header, still work.
 */
@Timeout(60)
class CrossSiteRequestIT {

    @TempDir
    Path dir;
    CellwatchServer server;
    Mqtt5BlockingClient gateway;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(dir);
        gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(), TestAccess.ACME_GATEWAY);
    }

    @AfterEach
    void stop() {
        if (gateway.getState().isConnected()) {
            gateway.disconnect();
        }
        server.close();
    }

    @Test
    void aCrossSiteFormPostWithCachedBasicCredentialsDisconnectsNobody() throws Exception {
        final HttpResponse<String> answer = disconnectGateway("http://evil.example", "cross-site");

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(answer.body()).contains("cross-site request refused");
        assertThat(gateway.getState().isConnected()).isTrue();
    }

    @Test
    void aForeignOriginWithoutFetchMetadataIsRefused() throws Exception {
        final HttpResponse<String> answer = disconnectGateway("http://evil.example", null);

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(gateway.getState().isConnected()).isTrue();
    }

    @Test
    void aCrossSiteLoginIsRefused() throws Exception {
        final String body = HttpApi.JSON.createObjectNode().put("user", TestAccess.ADMIN)
                .put("password", TestAccess.password(TestAccess.ADMIN)).toString();
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/api/v1/login"))
                .header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aSameOriginPostStillDisconnects() throws Exception {
        final HttpResponse<String> answer = disconnectGateway("http://127.0.0.1:" + server.httpPort(), "same-origin");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.getState().isConnected());
    }

    @Test
    void aScriptWithoutOriginOrFetchMetadataStillDisconnects() throws Exception {
        final HttpResponse<String> answer = disconnectGateway(null, null);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.getState().isConnected());
    }

    @Test
    void aCrossSiteGetIsAnsweredAsUsual() throws Exception {
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/api/v1/me"))
                .header("Authorization", TestAccess.basic(TestAccess.ADMIN)).header("Origin", "http://evil.example")
                .header("Sec-Fetch-Site", "cross-site").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
    }

    /** The form post a page on {@code origin} makes the admin's browser send (null: header left out). */
    private HttpResponse<String> disconnectGateway(final String origin, final String fetchSite) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/clients/disconnect?client="
                        + TestAccess.ACME_GATEWAY))
                .header("Authorization", TestAccess.basic(TestAccess.ADMIN))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client=" + TestAccess.ACME_GATEWAY));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (fetchSite != null) {
            request.header("Sec-Fetch-Site", fetchSite);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + path);
    }
}
