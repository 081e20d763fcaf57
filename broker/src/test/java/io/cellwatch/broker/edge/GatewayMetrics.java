package io.cellwatch.broker.edge;

import io.cellwatch.edge.Gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A running gateway's {@code /metrics} page, as Prometheus scrapes it, for the gateway tests. */
final class GatewayMetrics {

    private GatewayMetrics() {
    }

    /** The page's text; the gateway's config must set {@code metrics.listen}. */
    static String scrape(final Gateway gateway) throws Exception {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
