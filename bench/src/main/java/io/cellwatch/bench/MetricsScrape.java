package io.cellwatch.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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
     * {@code cellwatch_ingest_rejected_total{reason="bad_json"}}: as printed, without the value).
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

    /**
     * The quantile {@code q} of the histogram {@code name} (in its unit, e.g. seconds), estimated from its buckets the
     * way Prometheus' {@code histogram_quantile} does: linear within the bucket the rank falls in.
     */
    double quantile(final String name, final double q) throws IOException {
        final double value = quantile(scrape(), name, q);
        if (Double.isNaN(value)) {
            throw new IOException("no buckets of " + name + " in " + uri);
        }
        return value;
    }

    /** {@link #quantile(String, double)} on a page already read; NaN if the histogram has no observation. */
    static double quantile(final String page, final String name, final double q) {
        return quantile(buckets(page, name), q);
    }

    /**
     * The quantile {@code q} of what histogram {@code name} observed between two pages read from the same server
     * ({@code before}, then {@code after}); NaN if it observed nothing in between.
     */
    static double quantileBetween(final String before, final String after, final String name, final double q) {
        final List<double[]> earlier = buckets(before, name);
        final List<double[]> later = buckets(after, name);
        final List<double[]> delta = new ArrayList<>();
        for (int i = 0; i < later.size(); i++) {
            final double[] bucket = later.get(i);
            delta.add(new double[]{bucket[0], bucket[1] - (i < earlier.size() ? earlier.get(i)[1] : 0)});
        }
        return quantile(delta, q);
    }

    /** The cumulative buckets of histogram {@code name} on a page: {upper bound, count}, in order. */
    private static List<double[]> buckets(final String page, final String name) {
        final List<double[]> buckets = new ArrayList<>();
        final String prefix = name + "_bucket{le=\"";
        for (final String line : page.split("\n")) {
            if (line.startsWith(prefix)) {
                final String le = line.substring(prefix.length(), line.indexOf('"', prefix.length()));
                buckets.add(new double[]{le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim())});
            }
        }
        return buckets;
    }

    private static double quantile(final List<double[]> buckets, final double q) {
        if (buckets.isEmpty() || buckets.get(buckets.size() - 1)[1] == 0) {
            return Double.NaN;
        }
        final double rank = q * buckets.get(buckets.size() - 1)[1];
        double lowerBound = 0;
        double lowerCount = 0;
        for (final double[] bucket : buckets) {
            if (bucket[1] >= rank) {
                if (Double.isInfinite(bucket[0])) {
                    return lowerBound;
                }
                return lowerBound + (bucket[0] - lowerBound) * (rank - lowerCount) / Math.max(1e-9, bucket[1] - lowerCount);
            }
            lowerBound = bucket[0];
            lowerCount = bucket[1];
        }
        return lowerBound;
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
