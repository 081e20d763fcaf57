package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain java.net.http client of the REST API, as a dashboard or script would use it. */
public final class HttpApi {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    /** A client acting as the global admin. */
    public HttpApi(final int port) {
        this(port, TestAccess.ADMIN);
    }

    /** A client acting as {@code user} of {@link TestAccess}, with HTTP Basic credentials. */
    public HttpApi(final int port, final String user) {
        this(port, user, TestAccess.password(user));
    }

    /** A client acting as {@code user} with {@code password}, with HTTP Basic credentials. */
    public HttpApi(final int port, final String user, final String password) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = TestAccess.basic(user, password);
    }

    public HttpResponse<String> get(final String pathAndQuery) throws IOException, InterruptedException {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A POST without a body. */
    public HttpResponse<String> post(final String pathAndQuery) throws IOException, InterruptedException {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode getJson(final String pathAndQuery) throws IOException, InterruptedException {
        return JSON.readTree(get(pathAndQuery).body());
    }

    public JsonNode snapshot(final String path) throws IOException, InterruptedException {
        return getJson("/api/v1/snapshot?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
    }

    /** The value of {@code series} in a snapshot of it, or null if it has none. */
    public Double latest(final String series) throws IOException, InterruptedException {
        for (final JsonNode sample : snapshot(series).path("samples")) {
            if (sample.path("series").asText().equals(series)) {
                return sample.path("value").asDouble();
            }
        }
        return null;
    }

    /** Every node path in {@code /api/v1/tree}. */
    public List<String> treePaths() throws IOException, InterruptedException {
        final List<String> paths = new ArrayList<>();
        collect(getJson("/api/v1/tree"), paths);
        return paths;
    }

    private static void collect(final JsonNode node, final List<String> out) {
        out.add(node.path("path").asText());
        for (final JsonNode child : node.path("children")) {
            collect(child, out);
        }
    }

    /** The value of the Prometheus sample {@code name} in {@code /metrics}. */
    public double metric(final String name) throws IOException, InterruptedException {
        for (final String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("metric " + name + " not in /metrics");
    }
}
