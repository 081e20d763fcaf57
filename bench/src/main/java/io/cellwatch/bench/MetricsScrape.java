package io.cellwatch.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Reads single values from a cellwatch server's Prometheus {@code /metrics}, as an operator's scraper would. */
final class MetricsScrape {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final String authorization;

    /** @param user a global admin's name for HTTP Basic ({@code /metrics} is admins-only with auth on), or null */
    MetricsScrape(final int httpPort, final String user, final String password) {
        this.uri = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The value of the sample named exactly {@code sample} (labels included, e.g.
     * {@code cellwatch_history_lag_ms{quantile="0.99",}}: as printed, without the value).
     *
     * @throws IOException if {@code /metrics} does not answer 200 or has no such sample
     */
    double value(final String sample) throws IOException {
        final String text = scrape();
        for (final String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        throw new IOException("no sample " + sample + " in " + uri);
    }

    /** The quantile {@code q} (as printed, e.g. {@code 0.99}) of the summary {@code name}. */
    double quantile(final String name, final String q) throws IOException {
        final String prefix = name + "{quantile=\"" + q + "\"";
        for (final String line : scrape().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new IOException("no quantile " + q + " of " + name + " in " + uri);
    }

    /** The whole page. */
    String scrape() throws IOException {
        try {
            final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode());
            }
            return response.body();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading " + uri, e);
        }
    }
}
