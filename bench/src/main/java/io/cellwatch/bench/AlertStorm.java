package io.cellwatch.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.AlertSettings;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert storm for {@link DashboardFrameBenchmark}: one critical threshold rule on a metric of its own
 * ({@value #METRIC} &gt; 0.5) over the cells of one pack, and a publisher that sets that metric to 1 on the next
 * cells in turn and back to 0 a few ticks later, ten ticks a second, so that about {@code rate} alerts are raised and
 * as many cleared each second while about half the pack's cells have one active. The raises
 * are not assumed: {@link #count()} sums every storm alert's {@code raises} as the server's {@code GET /api/v1/alerts}
 * reports them.
 */
final class AlertStorm {

    static final String RULE = "storm";
    static final String METRIC = "storm";
    private static final int TICKS_PER_SECOND = 10;
    private static final Pattern RAISES = Pattern.compile("\"raises\":(\\d+)");
    private static final Pattern ACTIVE = Pattern.compile("\"state\":\"(raised|acknowledged)\"");

    private final int rate;
    private final String pack;
    private final int cells;
    private final int holdTicks;
    private final URI alerts;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The storm's alerts as the server counted them at one moment. */
    record Count(long raises, int active, long nanos) {
    }

    /**
     * What one scenario's measurement saw.
     *
     * @param raisesPerSecond raises the server counted over the measured span
     * @param panel           the open panel at the end: its summary line, active rows drawn, badges shown
     */
    record Measured(long raises, double seconds, double raisesPerSecond, int activeAtEnd, String panel) {
    }

    AlertStorm(final int rate, final String pack, final int cells, final int httpPort) {
        this.rate = validRate(rate);
        this.pack = pack;
        this.cells = cells;
        // A cell stays raised for as many ticks as keep about half the pack active: its next raise comes after
        // the cursor has gone round, well after its clear.
        this.holdTicks = Math.max(1, cells * TICKS_PER_SECOND / (2 * rate));
        this.alerts = URI.create("http://127.0.0.1:" + httpPort + "/api/v1/alerts");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((BenchServers.ADMIN + ":"
                + BenchServers.GATEWAY_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code rate} if the storm can keep it on one pack's cells: each raise then clears before its cell's next. */
    static int validRate(final int rate) {
        if (rate < 1 || rate > 480) {
            throw new IllegalArgumentException("--alert-storm: raises per second must be 1–480, not " + rate);
        }
        return rate;
    }

    /** {@code config} with {@code conf/alerts.rules} holding the storm's rule for tenant {@value BenchServers#TENANT}. */
    static ServerConfig configure(final ServerConfig config) throws IOException {
        final Path file = config.confDir().resolve("alerts.rules");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                # Written by the frame benchmark's --alert-storm: the publisher drives this metric across the level.
                tenant %s
                alert %s threshold plants/+/racks/+/packs/+/cells/+/%s > 0.5 severity critical
                """.formatted(BenchServers.TENANT, RULE, METRIC), StandardCharsets.UTF_8);
        return config.withExtension(config.extension().withAlerts(new AlertSettings(file, 500)));
    }

    String describe() {
        return "rule '" + RULE + "' (critical, " + METRIC + " > 0.5) on the " + cells + " cells of " + pack
                + ", about " + rate + " raises and as many clears per second, each alert active "
                + holdTicks * 1000 / TICKS_PER_SECOND + " ms";
    }

    /** Starts the storm on its own thread; closing it stops the storm and clears every alert it left raised. */
    AutoCloseable start(final Mqtt5AsyncClient gateway) {
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        final ArrayDeque<long[]> raised = new ArrayDeque<>();
        final long[] state = {0, 0};
        final double[] due = {0};
        ticker.scheduleAtFixedRate(() -> {
            final long tick = ++state[0];
            while (!raised.isEmpty() && raised.peekFirst()[1] <= tick - holdTicks) {
                publish(gateway, (int) raised.pollFirst()[0], 0);
            }
            due[0] += (double) rate / TICKS_PER_SECOND;
            for (; due[0] >= 1; due[0]--) {
                final int cell = (int) (state[1]++ % cells) + 1;
                publish(gateway, cell, 1);
                raised.addLast(new long[]{cell, tick});
            }
        }, 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
        return () -> {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            // The next scenario starts without this one's raised alerts.
            for (int cell = 1; cell <= cells; cell++) {
                publish(gateway, cell, 0);
            }
        };
    }

    private void publish(final Mqtt5AsyncClient gateway, final int cell, final int value) {
        final String payload = "{\"" + METRIC + "\":" + value + ",\"ts\":" + System.currentTimeMillis() + "}";
        gateway.publishWith().topic(pack + "/cells/" + cell).qos(MqttQos.AT_MOST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** The storm's raises and active alerts as the server reports them now. */
    Count count() throws IOException, InterruptedException {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(alerts)
                .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + alerts + " answered " + response.statusCode());
        }
        long raises = 0;
        final Matcher r = RAISES.matcher(response.body());
        while (r.find()) {
            raises += Long.parseLong(r.group(1));
        }
        int active = 0;
        final Matcher a = ACTIVE.matcher(response.body());
        while (a.find()) {
            active++;
        }
        return new Count(raises, active, System.nanoTime());
    }

    /** Opens the alerts panel (it is open unless a user closed it) and fails if the page does not show it. */
    void openPanel(final JavascriptExecutor browser) {
        final Object shown = browser.executeScript("const d = document.getElementById('alerts-details');"
                + "if (d) d.open = true;"
                + "return !!d && !document.getElementById('alerts-panel').hidden;");
        if (!Boolean.TRUE.equals(shown)) {
            throw new IllegalStateException("the dashboard does not show its alerts panel");
        }
    }

    Measured measured(final Count before, final Count after, final JavascriptExecutor browser) {
        final double seconds = (after.nanos() - before.nanos()) / 1e9;
        @SuppressWarnings("unchecked")
        final Map<String, Object> panel = (Map<String, Object>) browser.executeScript(
                "return { summary: document.getElementById('alerts-summary').textContent,"
                        + " open: document.getElementById('alerts-details').open,"
                        + " rows: document.querySelectorAll('#alerts-active tr.alert').length,"
                        + " badges: document.querySelectorAll('.badge:not([hidden]), .cell.alerting').length,"
                        + " title: document.title };");
        final String seen = panel.get("summary") + " (panel " + (Boolean.TRUE.equals(panel.get("open")) ? "open"
                : "closed") + ", " + panel.get("rows") + " active rows, " + panel.get("badges")
                + " badges/marked tiles, title \"" + panel.get("title") + "\")";
        final long raises = after.raises() - before.raises();
        return new Measured(raises, seconds, raises / seconds, after.active(), seen);
    }
}
