package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
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

import static org.assertj.core.api.Assertions.assertThat;

/** Dashboard logins over HTTP: session cookie and bearer token, wrong passwords, slowed guessing, logout. */
@Timeout(60)
class HttpLoginIT {

    @TempDir
    static Path dir;
    static CellwatchServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void loginReturnsATokenThatOpensTheApiAsBearer() throws Exception {
        final HttpResponse<String> login = login(TestAccess.ACME_OPERATOR, TestAccess.password(TestAccess.ACME_OPERATOR));
        assertThat(login.statusCode()).isEqualTo(200);
        final JsonNode body = HttpApi.JSON.readTree(login.body());
        assertThat(body.path("user").asText()).isEqualTo(TestAccess.ACME_OPERATOR);
        assertThat(body.path("role").asText()).isEqualTo("operator");
        assertThat(body.path("tenant").asText()).isEqualTo("acme");

        final HttpResponse<String> me = get("/api/v1/me", "Authorization", "Bearer " + body.path("token").asText());

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(HttpApi.JSON.readTree(me.body()).path("scope").asText()).isEqualTo("tenants/acme");
    }

    @Test
    void loginSetsAnHttpOnlySessionCookieThatOpensTheApi() throws Exception {
        final HttpResponse<String> login = login(TestAccess.ACME_OPERATOR, TestAccess.password(TestAccess.ACME_OPERATOR));
        final String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("cellwatch_session=").contains("HttpOnly").contains("SameSite=Strict");

        final HttpResponse<String> me = get("/api/v1/me", "Cookie", setCookie.substring(0, setCookie.indexOf(';')));

        assertThat(me.statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIsUnauthorized() throws Exception {
        final HttpResponse<String> login = login(TestAccess.NORDVOLT_OPERATOR, "guess");

        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(login.body()).contains("wrong user name or password").doesNotContain("token");
    }

    @Test
    void gatewaysCannotLogInToTheDashboard() throws Exception {
        assertThat(login(TestAccess.ACME_GATEWAY, TestAccess.password(TestAccess.ACME_GATEWAY)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void afterFiveFailuresTheRightPasswordIsLateButNotRefused() throws Exception {
        final String user = TestAccess.NORDVOLT_OPERATOR;
        for (int i = 0; i < 5; i++) {
            assertThat(login(user, "guess " + i).statusCode()).isEqualTo(401);
        }

        final HttpResponse<String> late = login(user, TestAccess.password(user));

        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(late.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        final String token = HttpApi.JSON.readTree(login(TestAccess.ADMIN, TestAccess.password(TestAccess.ADMIN))
                .body()).path("token").asText();
        final HttpResponse<String> logout = http.send(HttpRequest.newBuilder(uri("/api/v1/logout"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(204);

        assertThat(get("/api/v1/me", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
    }

    @Test
    void malformedLoginIsABadRequest() throws Exception {
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/api/v1/login"))
                .POST(HttpRequest.BodyPublishers.ofString("user=admin")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("login body is not JSON");
    }

    private HttpResponse<String> login(final String user, final String password) throws Exception {
        final String body = HttpApi.JSON.createObjectNode().put("user", user).put("password", password).toString();
        return http.send(HttpRequest.newBuilder(uri("/api/v1/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String path, final String header, final String value) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header(header, value).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + path);
    }
}
