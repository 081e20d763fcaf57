package io.cellwatch.extension.api;

import io.cellwatch.extension.history.WalBatch;
import io.cellwatch.extension.history.HistoryDatabase;
import io.cellwatch.extension.history.HistoryQuery;
import io.cellwatch.extension.history.HistoryWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class HistoryHandlerTest {

    private static final long T0 = 1_764_057_600_000L; // 2025-11-25T08:00:00Z
    private static final long NOW = T0 + 600_000;
    private static final String VOLTAGE = "tenants/t1/plants/p1/cells/1/voltage";
    private static final String SOC = "tenants/t1/plants/p1/cells/1/soc";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dir;

    private static HistoryDatabase db;
    private static Undertow server;
    private static String base;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A response: status and parsed JSON body. */
    private record Answer(int status, JsonNode json) {
        String error() {
            return json.path("error").asText();
        }
    }

    /** Voltage = i at T0 + i seconds for ten minutes; soc has no samples. The clock stands at the end. */
    @BeforeAll
    static void start() throws SQLException {
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        final WalBatch wal = new WalBatch().series(1, VOLTAGE).series(2, SOC).gateway(0, "pi");
        for (int i = 0; i < 600; i++) {
            wal.sample(0, i, 1, T0 + i * 1000L, i);
        }
        new HistoryWriter(db).write(wal.take());
        final HistoryHandler handler = new HistoryHandler(new HistoryQuery(db), HistoryHandlerTest::seriesId,
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.MAX_PARAMETERS, HistoryHandler.MAX_QUERY_PARAMETERS)
                .setHandler(Handlers.path()
                        .addExactPath("/api/v1/history", HttpAccess.open().protect(handler))
                        .addExactPath("/t2/api/v1/history", exchange -> {
                            exchange.putAttachment(HttpAccess.SCOPE, new Scope("t2-operator", false,
                                    Optional.of("t2")));
                            handler.handleRequest(exchange);
                        }))
                .build();
        server.start();
        final int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        base = "http://127.0.0.1:" + port + "/api/v1/history";
    }

    /** Voltage is series 1; soc and any key that extends it ("…/soc7") are series 2; anything else is unknown. */
    private static Integer seriesId(final String key) {
        if (key.equals(VOLTAGE)) {
            return 1;
        }
        return key.startsWith(SOC) ? 2 : null;
    }

    @AfterAll
    static void stop() throws SQLException {
        server.stop();
        db.close();
    }

    private Answer get(final String query) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + query)).GET().build());
    }

    private Answer send(final HttpRequest request) throws IOException, InterruptedException {
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new Answer(response.statusCode(), MAPPER.readTree(response.body()));
    }

    @Test
    void answersHistoryOfSeveralSeries() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE + "&series=" + SOC + "&from=" + T0 + "&to=" + NOW
                + "&points=10");

        assertThat(answer.status()).isEqualTo(200);
        final JsonNode json = answer.json();
        assertThat(json.path("type").asText()).isEqualTo("history");
        assertThat(json.path("from").asLong()).isEqualTo(T0);
        assertThat(json.path("to").asLong()).isEqualTo(NOW);
        assertThat(json.path("bucket_ms").asLong()).isEqualTo(60_000);
        assertThat(json.path("resolution").asText()).isEqualTo("1m");
        assertThat(json.path("series")).hasSize(2);
        assertThat(json.path("series").get(0).path("series").asText()).isEqualTo(VOLTAGE);
        assertThat(json.path("series").get(0).path("points")).hasSize(10);
        assertThat(json.path("series").get(0).path("points").get(0).toString()).isEqualTo(
                "{\"ts\":" + T0 + ",\"value\":29.5,\"min\":0.0,\"max\":59.0,\"last\":59.0,\"count\":60}");
        assertThat(json.path("series").get(1).path("series").asText()).isEqualTo(SOC);
        assertThat(json.path("series").get(1).path("points")).isEmpty();
    }

    @Test
    void acceptsIsoInstants() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE + "&from=2025-11-25T08:00:00Z&to=2025-11-25T09:00:00%2B01:00");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("from").asLong()).isEqualTo(T0);
        assertThat(answer.json().path("to").asLong()).isEqualTo(T0);
    }

    @Test
    void defaultsToTheLastHourInFiveHundredPoints() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("to").asLong()).isEqualTo(NOW);
        assertThat(answer.json().path("from").asLong()).isEqualTo(NOW - 3_600_000);
        assertThat(answer.json().path("bucket_ms").asLong()).isEqualTo(7_200);
        assertThat(answer.json().path("resolution").asText()).isEqualTo("raw");
        assertThat(answer.json().path("series").get(0).path("points")).hasSizeLessThanOrEqualTo(500);
    }

    @Test
    void fromAfterToIsBadRequestNamingFrom() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE + "&from=" + NOW + "&to=" + T0);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("type").asText()).isEqualTo("error");
        assertThat(answer.error()).isEqualTo("from: must not be after to");
    }

    @Test
    void zeroPointsIsBadRequestNamingPoints() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE + "&points=0");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("points: expected an integer from 1 to 10000, got '0'");
    }

    @Test
    void tooManyPointsIsBadRequestNamingPoints() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE + "&points=10001");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).startsWith("points: ");
    }

    @Test
    void nonNumericPointsIsBadRequestNamingPoints() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE + "&points=abc");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("points: expected an integer from 1 to 10000, got 'abc'");
    }

    @Test
    void missingSeriesIsBadRequestNamingSeries() throws Exception {
        final Answer answer = get("?from=" + T0);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("series: at least one series key is required");
    }

    @Test
    void unreadableFromIsBadRequestNamingFrom() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE + "&from=yesterday");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error())
                .isEqualTo("from: expected epoch milliseconds or an ISO-8601 instant, got 'yesterday'");
    }

    @Test
    void aThousandSeriesAreAnswered() throws Exception {
        final String query = IntStream.range(0, 1000).mapToObj(i -> "series=" + (i == 0 ? VOLTAGE : SOC + i))
                .collect(Collectors.joining("&", "?", "&from=" + T0 + "&to=" + NOW + "&points=10"));

        final Answer answer = get(query);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("series")).hasSize(1000);
        assertThat(answer.json().path("series").get(0).path("points")).hasSize(10);
    }

    @Test
    void moreThanAThousandSeriesIsBadRequestNamingSeries() throws Exception {
        final String query = IntStream.range(0, 1001).mapToObj(i -> "series=s" + i)
                .collect(Collectors.joining("&", "?", "&points=10"));

        final Answer answer = get(query);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("series: at most 1000 per request, got 1001");
    }

    @Test
    void unknownSeriesIsNotFoundNamingIt() throws Exception {
        final Answer answer = get("?series=" + VOLTAGE + "&series=tenants/t1/nope");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).isEqualTo("series: unknown series 'tenants/t1/nope'");
    }

    @Test
    void seriesOfAnotherTenantIsForbiddenWhetherOrNotItExists() throws Exception {
        final String t2 = base.replace("/api/v1/history", "/t2/api/v1/history");
        final Answer existing = send(HttpRequest.newBuilder(URI.create(t2 + "?series=" + VOLTAGE)).GET().build());
        final Answer missing = send(HttpRequest.newBuilder(URI.create(t2 + "?series=tenants/t1/nope")).GET().build());

        assertThat(existing.status()).isEqualTo(403);
        assertThat(existing.error()).isEqualTo("series: '" + VOLTAGE + "' is outside what you may see");
        assertThat(missing.status()).isEqualTo(403);
    }

    @Test
    void onlyGetIsAllowed() throws Exception {
        final Answer answer = send(HttpRequest.newBuilder(URI.create(base + "?series=" + VOLTAGE))
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(answer.status()).isEqualTo(405);
    }
}
