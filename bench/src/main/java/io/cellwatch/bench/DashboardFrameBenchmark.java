package io.cellwatch.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.config.ServerConfig;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's frame budget in a real headless Chromium (Debian's, at fixed paths): one 96-cell pack at 1 Hz on the
 * pack view, then 20 such packs (4 plants × 5 packs, 5,760 series) at 1 Hz on the fleet view. The page counts its own
 * script time per update ({@code window.cellwatchPerf}); a {@code requestAnimationFrame} loop records every frame, and
 * a gap over 1.5 × the median frame interval counts as dropped frames. Runs alone:
 * {@code java --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
 * --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED -cp bench/target/cellwatch-bench.jar
 * io.cellwatch.bench.DashboardFrameBenchmark} (with {@code -cp} the manifest's Add-Opens do not apply).
 */
public final class DashboardFrameBenchmark {

    private static final int CELLS = 96;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration MEASURE = Duration.ofSeconds(30);

    private static final String MEASURE_SCRIPT = """
            const fb = window.frameBench = { frames: [] };
            (function tick(t) { fb.frames.push(t); requestAnimationFrame(tick); })(performance.now());
            Object.assign(window.cellwatchPerf, { updates: 0, messages: 0, scriptMs: 0, maxScriptMs: 0 });
            """;

    private static final String RESULT_SCRIPT = """
            const f = window.frameBench.frames;
            const gaps = [];
            for (let i = 1; i < f.length; i++) gaps.push(f[i] - f[i - 1]);
            const sorted = [...gaps].sort((a, b) => a - b);
            const median = sorted[Math.floor(sorted.length / 2)];
            let dropped = 0;
            for (const g of gaps) if (g > 1.5 * median) dropped += Math.round(g / median) - 1;
            const p = window.cellwatchPerf;
            return { frames: f.length, medianMs: median, maxGapMs: sorted[sorted.length - 1], dropped,
                     updates: p.updates, messages: p.messages, scriptMs: p.scriptMs, maxScriptMs: p.maxScriptMs };
            """;

    private DashboardFrameBenchmark() {
    }

    /** One scenario's figures. */
    record Result(String scenario, int series, Map<String, Object> page) {
    }

    public static void main(final String[] args) throws Exception {
        final Path dir = Files.createTempDirectory("cellwatch-frames");
        final ServerConfig config = BenchServers.authAndAcl(dir, new LoadShape(1, CELLS, LoadShape.Payload.NODE, 0, 1));
        final List<Result> results = new ArrayList<>();
        try (CellwatchServer server = new CellwatchServer(config)) {
            server.start();
            final Mqtt5AsyncClient gateway = MqttClient.builder().useMqttVersion5().identifier("gw-1")
                    .serverHost("127.0.0.1").serverPort(server.mqttPort())
                    .simpleAuth().username("gw-1")
                    .password(BenchServers.GATEWAY_PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .buildAsync();
            gateway.connect().get(10, TimeUnit.SECONDS);
            final ChromeDriver browser = chromium(dir.resolve("profile"));
            try {
                results.add(run(browser, server.httpPort(), gateway, packs(1),
                        "tenants/bench/plants/p1/racks/r1/packs/k1?metric=voltage", "one 96-cell pack, pack view"));
                // The same page with nothing arriving: what headless Chromium drops on this machine by itself.
                results.add(run(browser, server.httpPort(), gateway, List.of(),
                        "tenants/bench/plants/p1/racks/r1/packs/k1?metric=voltage",
                        "same pack view, no data arriving (baseline)"));
                results.add(run(browser, server.httpPort(), gateway, packs(20), "tenants/bench",
                        "20 packs of 96 cells, fleet view"));
            } finally {
                browser.quit();
                gateway.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
        System.out.println("| scenario | series at 1 Hz | updates drawn | script per update (mean / max) | frames | "
                + "median frame | longest gap | dropped frames |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (final Result r : results) {
            final Map<String, Object> p = r.page();
            final double updates = num(p, "updates");
            System.out.printf(Locale.ROOT, "| %s | %,d | %.0f | %.2f ms / %.2f ms | %.0f | %.1f ms | %.1f ms | %.0f |%n",
                    r.scenario(), r.series(), updates, num(p, "scriptMs") / Math.max(1, updates), num(p, "maxScriptMs"),
                    num(p, "frames"), num(p, "medianMs"), num(p, "maxGapMs"), num(p, "dropped"));
        }
        // HiveMQ leaves non-daemon threads behind after close.
        System.exit(0);
    }

    private static List<String> packs(final int count) {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("tenants/bench/plants/p" + (i / 5 + 1) + "/racks/r1/packs/k" + (i % 5 + 1));
        }
        return out;
    }

    private static Result run(final ChromeDriver browser, final int httpPort, final Mqtt5AsyncClient gateway,
                              final List<String> packs, final String hash, final String scenario) throws Exception {
        final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        final long[] tick = {0};
        publisher.scheduleAtFixedRate(() -> {
            tick[0]++;
            final long now = System.currentTimeMillis();
            for (final String pack : packs) {
                for (int cell = 1; cell <= CELLS; cell++) {
                    final double wave = Math.sin((tick[0] + cell) / 7.0);
                    final String payload = String.format(Locale.ROOT,
                            "{\"voltage\":%.3f,\"temperature\":%.1f,\"soc\":%.3f,\"ts\":%d}",
                            3.6 + 0.05 * wave, 28 + 3 * wave, 0.7 + 0.1 * wave, now);
                    gateway.publishWith().topic(pack + "/cells/" + cell).qos(MqttQos.AT_MOST_ONCE)
                            .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
                }
            }
        }, 0, 1, TimeUnit.SECONDS);
        try {
            browser.get("http://127.0.0.1:" + httpPort + "/#/" + hash);
            if (!browser.findElements(By.cssSelector("#login-dialog[open]")).isEmpty()) {
                browser.findElement(By.id("login-user")).sendKeys(BenchServers.ADMIN);
                browser.findElement(By.id("login-password")).sendKeys(BenchServers.GATEWAY_PASSWORD);
                browser.findElement(By.id("login-submit")).click();
            }
            TimeUnit.MILLISECONDS.sleep(WARM_UP.toMillis());
            browser.executeScript(MEASURE_SCRIPT);
            TimeUnit.MILLISECONDS.sleep(MEASURE.toMillis());
            @SuppressWarnings("unchecked")
            final Map<String, Object> page = (Map<String, Object>) browser.executeScript(RESULT_SCRIPT);
            return new Result(scenario, packs.size() * CELLS * 3, page);
        } finally {
            publisher.shutdownNow();
        }
    }

    private static double num(final Map<String, Object> page, final String key) {
        return ((Number) page.get(key)).doubleValue();
    }

    private static ChromeDriver chromium(final Path profile) {
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        final ChromeOptions options = new ChromeOptions().setBinary(Path.of("/usr/bin/chromium").toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,800");
        return new ChromeDriver(service, options);
    }
}
