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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The dashboard's frame budget in a real headless Chromium (Debian's, at fixed paths): one 96-cell pack at 1 Hz on the
 * pack view, the same view with nothing arriving, and 20 such packs (4 plants × 5 packs, 5,760 series) at 1 Hz on the
 * fleet view, after a blank page as the machine's own baseline. The page counts its own script time by kind
 * ({@code window.cellwatchPerf}); a {@code requestAnimationFrame} loop records every frame, a gap over 1.5 × the median
 * frame interval counts as dropped frames, and each such gap is split by whether the page's script ran in it;
 * Chromium's long animation frames (or long tasks) say which scripts ran in frames of 50 ms and more. By default the
 * browser runs on the last CPU and this JVM (server, publisher) on the others ({@code taskset}); {@code --no-pin}
 * shares all CPUs. {@code --alert-storm N} loads an alert rule the publisher drives across its level about N times a
 * second (see {@link AlertStorm}) during every scenario that publishes, with the alerts panel open, and prints the
 * raises the server counted. Runs alone:
 * {@code java --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
 * --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED -cp bench/target/cellwatch-bench.jar
 * io.cellwatch.bench.DashboardFrameBenchmark [--no-pin] [--seconds 30] [--alert-storm 100]} (with {@code -cp} the manifest's Add-Opens
 * do not apply).
 */
public final class DashboardFrameBenchmark {

    private static final int CELLS = 96;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String MEASURE_SCRIPT = resource("frame-measure.js");
    private static final String RESULT_SCRIPT = resource("frame-result.js");
    private static final String STORM_PACK = "tenants/bench/plants/p1/racks/r1/packs/k1";
    private static final String PACK = STORM_PACK + "?metric=voltage";

    private DashboardFrameBenchmark() {
    }

    /**
     * One scenario's figures.
     *
     * @param bursts the publisher's 1 Hz bursts while the page measured (-1 when nothing was published): fewer than
     *               the seconds measured means this JVM was paused (e.g. frozen by someone else's quiet run)
     * @param cores  who used the browser's CPUs while the page measured
     * @param storm  the alert storm's raises and the panel while the page measured, or null without a storm
     */
    record Result(String scenario, int series, Duration measure, long bursts, CoreShare.Share cores,
                  Map<String, Object> page, AlertStorm.Measured storm) {

        /** Whether the page measured longer than asked: this JVM, not the browser, was held up meanwhile. */
        boolean paused() {
            final double spanMs = ((Number) page.get("spanMs")).doubleValue();
            return spanMs > measure.toMillis() * 1.05 + 500
                    || (bursts >= 0 && bursts < measure.toSeconds() - 1);
        }
    }

    public static void main(final String[] args) {
        int status = 0;
        try {
            measure(args);
        } catch (final Exception e) {
            e.printStackTrace();
            status = 1;
        }
        // HiveMQ leaves non-daemon threads behind after close.
        System.exit(status);
    }

    private static void measure(final String[] args) throws Exception {
        boolean pin = Runtime.getRuntime().availableProcessors() >= 2;
        Duration measure = Duration.ofSeconds(30);
        int stormRate = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--no-pin" -> pin = false;
                case "--seconds" -> measure = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--alert-storm" -> stormRate = AlertStorm.validRate(Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (known: --no-pin, --seconds N, --alert-storm N)");
            }
        }
        final Path dir = Files.createTempDirectory("cellwatch-frames");
        final int cpus = Runtime.getRuntime().availableProcessors();
        final String browserCpus = String.valueOf(cpus - 1);
        final String serverCpus = cpus == 2 ? "0" : "0-" + (cpus - 2);
        if (pin) {
            CpuPinning.pinThisProcess(serverCpus);
        }
        System.out.println(MachineInfo.loadAverage("start"));
        System.out.println("server and publisher (this JVM) on CPUs " + CpuPinning.thisProcess());
        final ServerConfig plain = BenchServers.authAndAcl(dir, new LoadShape(1, CELLS, LoadShape.Payload.NODE, 0, 1));
        final ServerConfig config = stormRate > 0 ? AlertStorm.configure(plain) : plain;
        final List<Result> results = new ArrayList<>();
        try (CellwatchServer server = new CellwatchServer(config)) {
            server.start();
            final Mqtt5AsyncClient gateway = MqttClient.builder().useMqttVersion5().identifier("gw-1")
                    .serverHost("127.0.0.1").serverPort(server.mqttPort())
                    .simpleAuth().username("gw-1")
                    .password(BenchServers.GATEWAY_PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    // A pause of this JVM (someone else's quiet run freezes it) must not end the publisher.
                    .automaticReconnectWithDefaultConfig()
                    .buildAsync();
            gateway.connect().get(10, TimeUnit.SECONDS);
            final Path profile = dir.resolve("profile");
            final ChromeDriver browser = chromium(profile,
                    pin ? CpuPinning.wrapper(dir, CHROMIUM, browserCpus) : CHROMIUM);
            System.out.println("browser: " + CpuPinning.describe(profile.toString()));
            final CoreShare cores = new CoreShare(pin ? Set.of(cpus - 1)
                    : IntStream.range(0, cpus).boxed().collect(Collectors.toSet()), profile.toString());
            final String base = "http://127.0.0.1:" + server.httpPort() + "/#/";
            final AlertStorm storm = stormRate > 0 ? new AlertStorm(stormRate, STORM_PACK, CELLS, server.httpPort())
                    : null;
            if (storm != null) {
                System.out.println("alert storm: " + storm.describe());
            }
            try {
                // No dashboard at all: what this browser drops on this machine by itself.
                results.add(run(browser, cores, pin, "data:text/html,<title>blank</title><p>blank", gateway,
                        List.of(), measure, null, "blank page, no dashboard (baseline)"));
                results.add(run(browser, cores, pin, base + PACK, gateway, packs(1), measure, storm,
                        "one 96-cell pack, pack view"));
                results.add(run(browser, cores, pin, base + PACK, gateway, List.of(), measure, null,
                        "same pack view, no data arriving (baseline)"));
                results.add(run(browser, cores, pin, base + "tenants/bench", gateway, packs(20), measure, storm,
                        "20 packs of 96 cells, fleet view"));
            } finally {
                browser.quit();
                gateway.disconnect();
                // What was measured before a failure is still printed.
                System.out.println(MachineInfo.loadAverage("end"));
                FrameReport.print(results, System.out);
            }
        }
    }

    private static List<String> packs(final int count) {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("tenants/bench/plants/p" + (i / 5 + 1) + "/racks/r1/packs/k" + (i % 5 + 1));
        }
        return out;
    }

    private static Result run(final ChromeDriver browser, final CoreShare cores, final boolean pinned,
                              final String url, final Mqtt5AsyncClient gateway, final List<String> packs,
                              final Duration measure, final AlertStorm storm, final String scenario)
            throws Exception {
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
        final AutoCloseable stormRun = storm == null ? null : storm.start(gateway);
        try {
            // A fresh document per scenario: the same URL again would only be a same-document hash change.
            browser.get("about:blank");
            browser.get(url);
            if (!browser.findElements(By.cssSelector("#login-dialog[open]")).isEmpty()) {
                browser.findElement(By.id("login-user")).sendKeys(BenchServers.ADMIN);
                browser.findElement(By.id("login-password")).sendKeys(BenchServers.GATEWAY_PASSWORD);
                browser.findElement(By.id("login-submit")).click();
            }
            TimeUnit.MILLISECONDS.sleep(WARM_UP.toMillis());
            if (storm != null) {
                storm.openPanel(browser);
            }
            browser.executeScript(MEASURE_SCRIPT);
            final long ticksBefore = tick[0];
            final AlertStorm.Count raisesBefore = storm == null ? null : storm.count();
            final CoreShare.Snapshot before = cores.take();
            TimeUnit.MILLISECONDS.sleep(measure.toMillis());
            final CoreShare.Snapshot after = cores.take();
            @SuppressWarnings("unchecked")
            final Map<String, Object> page = (Map<String, Object>) browser.executeScript(RESULT_SCRIPT);
            final AlertStorm.Measured stormSeen = storm == null ? null
                    : storm.measured(raisesBefore, storm.count(), browser);
            return new Result(scenario + (storm == null ? "" : " + alert storm"), packs.size() * CELLS * 3, measure,
                    packs.isEmpty() ? -1 : tick[0] - ticksBefore, CoreShare.between(before, after, !pinned), page,
                    stormSeen);
        } finally {
            publisher.shutdownNow();
            if (stormRun != null) {
                stormRun.close();
            }
        }
    }

    private static String resource(final String name) {
        try (InputStream in = DashboardFrameBenchmark.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("bench resource " + name, e);
        }
    }

    private static ChromeDriver chromium(final Path profile, final Path binary) {
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        final ChromeOptions options = new ChromeOptions().setBinary(binary.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,800");
        return new ChromeDriver(service, options);
    }
}
