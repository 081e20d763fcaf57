package io.cellwatch.broker;

import io.cellwatch.contract.LiveCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.sun.net.httpserver.HttpServer;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.config.AlertSettings;
import io.cellwatch.extension.storage.SampleStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Alert rules against real publishes through the broker: every rule kind with its hysteresis or hold, the aggregate
 * over a pack's cells, the baseline on a step; the lifecycle over REST, the live WebSocket and the retained alert
 * topic, stored in history; signed webhooks with retries; a broken rules file keeping the last good rules.
 */
@Timeout(120)
class AlertsIT {

    private static final String GW = TestAccess.ACME_GATEWAY;
    private static final TopicBuilder PACK = TopicBuilder.tenant("acme").child("plants", "p1").child("packs", "k1");
    private static final String SECRET = "webhook-secret-0123456789";

    @TempDir
    Path dir;

    private CellwatchServer server;
    private HttpApi operator;
    private Mqtt5BlockingClient gateway;
    private final Closer closeLater = new Closer();
    /** The alert topic message {@link #change} last returned. */
    private JsonNode lastTopicMessage;

    @AfterEach
    void stop() throws Exception {
        closeLater.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyRuleKindRaisesAndClearsOnRealPublishes() throws Exception {
        start("""
                tenant acme
                alert hot threshold plants/+/packs/+/cells/+/temperature > 45 clear 43 severity critical
                alert humid threshold plants/+/packs/+/cells/+/humidity > 90 hold 2s
                alert surge rate plants/+/packs/+/cells/+/current > 5
                alert quiet stale plants/+/packs/+/cells/+/soc > 2s severity minor
                alert imbalance aggregate spread plants/+/packs/+/cells/+/voltage > 0.05 clear 0.03 severity major
                alert odd zscore plants/+/packs/+/cells/+/pressure > 4 window 10
                """);
        final String cell1 = PACK.child("cells", "1").node();

        // Threshold with hysteresis: 44 is fine, 46 raises, 44 is inside the band (still raised), 42 clears.
        publish(cell1 + "/temperature", "44");
        publish(cell1 + "/temperature", "46");
        final JsonNode hot = awaitState("hot", cell1 + "/temperature", "raised");
        assertThat(hot.path("severity").asText()).isEqualTo("critical");
        assertThat(hot.path("value").asDouble()).isEqualTo(46.0);
        publish(cell1 + "/temperature", "44");
        publish(cell1 + "/humidity", "50");
        // The humidity sample after the 44 was judged after it: the 44 left the alert raised.
        awaitEvaluated();
        assertThat(alert("hot", cell1 + "/temperature").path("state").asText()).isEqualTo("raised");
        publish(cell1 + "/temperature", "42");
        assertThat(awaitState("hot", cell1 + "/temperature", "cleared").path("value").asDouble()).isEqualTo(42.0);

        // Hold: raised only once the value has been past the level for 2 s (on the server's clock).
        final long humidAt = System.currentTimeMillis();
        publish(cell1 + "/humidity", "95");
        final JsonNode humid = awaitState("humid", cell1 + "/humidity", "raised");
        assertThat(humid.path("raisedAt").asLong() - humidAt).isGreaterThanOrEqualTo(2_000L);

        // Rate per second of device time: 1/s, then 18/s raises, then 1/s clears.
        final long t0 = System.currentTimeMillis() - 10_000;
        publish(cell1 + "/current", PayloadWriter.metric(1, t0, ParsedPayload.NO_SEQ));
        publish(cell1 + "/current", PayloadWriter.metric(2, t0 + 1_000, ParsedPayload.NO_SEQ));
        publish(cell1 + "/current", PayloadWriter.metric(20, t0 + 2_000, ParsedPayload.NO_SEQ));
        assertThat(awaitState("surge", cell1 + "/current", "raised").path("value").asDouble()).isEqualTo(18.0);
        publish(cell1 + "/current", PayloadWriter.metric(21, t0 + 3_000, ParsedPayload.NO_SEQ));
        awaitState("surge", cell1 + "/current", "cleared");

        // Stale: silent for more than 2 s raises, the next sample clears.
        final long socAt = System.currentTimeMillis();
        publish(cell1 + "/soc", "0.8");
        final JsonNode quiet = awaitState("quiet", cell1 + "/soc", "raised");
        assertThat(quiet.path("raisedAt").asLong() - socAt).isGreaterThanOrEqualTo(2_000L);
        publish(cell1 + "/soc", "0.8");
        awaitState("quiet", cell1 + "/soc", "cleared");

        // Aggregate over the pack's cells: the spread of their latest voltages, judged for the pack.
        final String[] volts = {"3.30", "3.31", "3.32", "3.30"};
        for (int c = 0; c < volts.length; c++) {
            publish(PACK.child("cells", Integer.toString(c + 1)).metric("voltage"), volts[c]);
        }
        publish(PACK.child("cells", "2").metric("voltage"), "3.37");
        final JsonNode imbalance = awaitState("imbalance", PACK.node(), "raised");
        assertThat(imbalance.path("value").asDouble()).isCloseTo(0.07, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(imbalance.path("kind").asText()).isEqualTo("aggregate");
        publish(PACK.child("cells", "2").metric("voltage"), "3.34");
        awaitEvaluated();
        assertThat(alert("imbalance", PACK.node()).path("state").asText()).as("0.04 is inside the band")
                .isEqualTo("raised");
        publish(PACK.child("cells", "2").metric("voltage"), "3.32");
        awaitState("imbalance", PACK.node(), "cleared");

        // Baseline: a step away from the series' own noise raises; once the window holds the new level, it clears.
        for (int i = 0; i < 12; i++) {
            publish(cell1 + "/pressure", i % 2 == 0 ? "1.0" : "1.1");
        }
        awaitEvaluated();
        publish(cell1 + "/pressure", "5.0");
        assertThat(awaitState("odd", cell1 + "/pressure", "raised").path("value").asDouble()).isGreaterThan(4);
        for (int i = 0; i < 12; i++) {
            publish(cell1 + "/pressure", i % 2 == 0 ? "5.0" : "5.1");
        }
        awaitState("odd", cell1 + "/pressure", "cleared");

        // Filters: by state, severity and node, within the caller's tenant.
        assertThat(ids("?severity=critical")).containsExactly("hot");
        assertThat(ids("?state=raised")).containsExactly("humid");
        assertThat(ids("?node=" + PACK.node() + "&state=cleared"))
                .containsExactlyInAnyOrder("hot", "surge", "quiet", "imbalance", "odd");
        assertThat(operator.get("/api/v1/alerts?state=doomed").statusCode()).isEqualTo(400);
    }

    @Test
    void fullLifecycleOverRestWebSocketAndTheRetainedTopicStoredInHistory() throws Exception {
        start("""
                tenant acme
                alert hot threshold plants/+/packs/+/cells/+/temperature > 45 clear 43 severity critical
                """);
        final String series = PACK.child("cells", "1").metric("temperature");
        final LiveClient live = new LiveClient(server.httpPort(), TestAccess.ACME_OPERATOR);
        closeLater.add(live);
        live.send(LiveCommand.alerts());
        final JsonNode snapshot = live.next(5);
        assertThat(snapshot.path("type").asText()).isEqualTo("alerts");
        assertThat(snapshot.path("alerts").size()).isZero();
        final BlockingQueue<JsonNode> topic = alertTopic(TestAccess.ACME_OPERATOR);

        publish(series, "50");
        final JsonNode raised = change(live, topic, "raised");
        assertThat(raised.path("subject").asText()).isEqualTo(series);
        assertThat(raised.path("raises").asInt()).isEqualTo(1);
        final String id = raised.path("id").asText();
        assertThat(id).startsWith("hot~");

        // Operators acknowledge; it is theirs now, and a second acknowledgement is a conflict.
        final HttpResponse<String> ack = operator.post("/api/v1/alerts/acknowledge?id=" + id);
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(HttpApi.JSON.readTree(ack.body()).path("alert").path("acknowledgedBy").asText())
                .isEqualTo(TestAccess.ACME_OPERATOR);
        final JsonNode acked = change(live, topic, "acknowledged");
        assertThat(acked.path("acknowledgedBy").asText()).isEqualTo(TestAccess.ACME_OPERATOR);
        assertThat(operator.post("/api/v1/alerts/acknowledge?id=" + id).statusCode()).isEqualTo(409);
        assertThat(operator.post("/api/v1/alerts/acknowledge?id=nope~00").statusCode()).isEqualTo(404);
        assertThat(operator.get("/api/v1/alerts/acknowledge?id=" + id).statusCode()).isEqualTo(405);

        publish(series, "42");
        final JsonNode cleared = change(live, topic, "cleared");
        assertThat(cleared.path("acknowledgedBy").asText()).isEqualTo(TestAccess.ACME_OPERATOR);
        assertThat(cleared.path("clearedAt").asLong()).isPositive();
        assertThat(operator.post("/api/v1/alerts/acknowledge?id=" + id).statusCode()).isEqualTo(409);

        // Its condition returns: raised again under the same id, unacknowledged.
        publish(series, "47");
        final JsonNode again = change(live, topic, "raised");
        assertThat(again.path("id").asText()).isEqualTo(id);
        assertThat(again.path("raises").asInt()).isEqualTo(2);
        assertThat(again.has("acknowledgedBy")).isFalse();

        // The topic is retained and the broker's alone: a late subscriber gets the current state, a gateway may not
        // write there.
        final JsonNode retained = alertTopic(TestAccess.ADMIN).poll(5, TimeUnit.SECONDS);
        assertThat(retained).isNotNull();
        assertThat(retained.path("state").asText() + " " + retained.path("raises").asInt()).isEqualTo("raised 2");
        assertThat(Gateways.publish(gateway, TopicBuilder.alert("acme", id), "{\"state\":\"cleared\"}"))
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(alert("hot", series).path("state").asText()).isEqualTo("raised");

        gateway.disconnect();
        closeLater.close();
        server.close();
        server = null;
        assertThat(historyEvents()).containsExactly(
                "hot raised 50.0 null", "hot acknowledged 50.0 acme-operator", "hot cleared 42.0 null",
                "hot raised 47.0 null");
    }

    @Test
    void webhookGetsEachRaiseAndClearOnceSignedAndAFailingReceiverStillGetsItLater() throws Exception {
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final List<String> badSignatures = new CopyOnWriteArrayList<>();
        final HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            final byte[] body = exchange.getRequestBody().readAllBytes();
            final String text = new String(body, StandardCharsets.UTF_8);
            final String signature = exchange.getRequestHeaders().getFirst("X-Cellwatch-Signature");
            if (!("sha256=" + hmac(body)).equals(signature)) {
                badSignatures.add(text);
            }
            final String delivery = HttpApi.JSON.readTree(body).path("delivery").asText();
            // The first event fails twice (503, then 500) before it is taken.
            final int attempt = attempts.computeIfAbsent(delivery, d -> new AtomicInteger()).incrementAndGet();
            final boolean fail = delivered.isEmpty() && attempt <= 2;
            if (!fail) {
                delivered.add(text);
            }
            exchange.sendResponseHeaders(fail ? (attempt == 1 ? 503 : 500) : 204, -1);
            exchange.close();
        });
        receiver.start();
        closeLater.add(() -> receiver.stop(0));
        start("tenant acme\n"
                + "webhook http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook secret " + SECRET + "\n"
                + "alert hot threshold plants/+/packs/+/cells/+/temperature > 45 clear 43 severity critical\n");
        final String series = PACK.child("cells", "1").metric("temperature");

        publish(series, "50");
        final String id = awaitState("hot", series, "raised").path("id").asText();
        assertThat(operator.post("/api/v1/alerts/acknowledge?id=" + id).statusCode()).isEqualTo(200);
        publish(series, "40");
        awaitState("hot", series, "cleared");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= 2 && webhook().path("pending")
                .asInt() == 0);
        assertThat(delivered).hasSize(2);
        final JsonNode first = HttpApi.JSON.readTree(delivered.get(0));
        final JsonNode second = HttpApi.JSON.readTree(delivered.get(1));
        assertThat(first.path("event").asText() + " " + second.path("event").asText()).isEqualTo("raised cleared");
        assertThat(first.path("alert").path("id").asText()).isEqualTo(id);
        assertThat(first.path("alert").path("subject").asText()).isEqualTo(series);
        assertThat(second.path("alert").path("acknowledgedBy").asText()).isEqualTo(TestAccess.ACME_OPERATOR);
        assertThat(badSignatures).isEmpty();
        assertThat(attempts.get(first.path("delivery").asText()).get()).isEqualTo(3);
        assertThat(attempts.get(second.path("delivery").asText()).get()).isEqualTo(1);
        final JsonNode status = webhook();
        assertThat(status.path("delivered").asLong()).isEqualTo(2);
        assertThat(status.path("failedAttempts").asLong()).isEqualTo(2);
        assertThat(status.path("givenUp").asLong()).isZero();
        assertThat(status.path("lastError").asText()).isEqualTo("HTTP 500");
        assertThat(status.toString()).doesNotContain(SECRET);
        final HttpApi admin = new HttpApi(server.httpPort());
        assertThat(admin.metric("cellwatch_alerts_webhook_failed_attempts_total")).isEqualTo(2.0);
        assertThat(admin.metric("cellwatch_alerts_webhook_delivered_total")).isEqualTo(2.0);
    }

    @Test
    void brokenRulesFileKeepsTheLastGoodRulesAndNamesTheLine() throws Exception {
        start("""
                tenant acme
                alert hot threshold plants/+/packs/+/cells/+/temperature > 45
                """);
        final HttpApi admin = new HttpApi(server.httpPort());
        final Path rules = dir.resolve("conf").resolve("alerts.rules");
        Files.writeString(rules, """
                tenant acme
                alert hot threshold plants/+/packs/+/cells/+/temperature > 100
                alert cold threshold plants/+/packs/+/cells/+/temperature <> 0
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.getJson("/api/v1/alerts/status")
                .path("rulesProblem").isNull());
        assertThat(admin.getJson("/api/v1/alerts/status").path("rulesProblem").asText())
                .contains(rules + ":3: field comparison: '<>' must be '>' or '<'");
        assertThat(operator.getJson("/api/v1/alerts/status").path("rulesProblem").isNull())
                .as("only global admins see the file's problems").isTrue();
        assertThat(admin.metric("cellwatch_alerts_rules_reloads_rejected_total")).isEqualTo(1.0);

        // The last good rules are still in force: 50 is past 45.
        publish(PACK.child("cells", "1").metric("temperature"), "50");
        awaitState("hot", PACK.child("cells", "1").metric("temperature"), "raised");

        // A good edit applies: two rules, the problem is gone.
        Files.writeString(rules, """
                tenant acme
                alert hot threshold plants/+/packs/+/cells/+/temperature > 45
                alert cold threshold plants/+/packs/+/cells/+/temperature < 0
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getJson("/api/v1/alerts/status")
                .path("tenants").get(0).path("rules").asInt() == 2);
        assertThat(admin.getJson("/api/v1/alerts/status").path("rulesProblem").isNull()).isTrue();
        publish(PACK.child("cells", "2").metric("temperature"), "-5");
        awaitState("cold", PACK.child("cells", "2").metric("temperature"), "raised");
    }

    @Test
    void brokenRulesFileAtStartStopsTheServerNamingTheLine() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final Path file = dir.resolve("conf").resolve("alerts.rules");
        Files.writeString(file, "tenant acme\nalert hot threshold cells/+/temperature > 45 clear 50\n");
        final CellwatchServer broken = new CellwatchServer(config.withExtension(config.extension()
                .withAlerts(new AlertSettings(file, 100))));
        assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + ":2: field clear: > 45 must clear at or below its level, not at 50.0");
        broken.close();
    }

    private void start(final String rules) throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final Path file = dir.resolve("conf").resolve("alerts.rules");
        Files.writeString(file, rules);
        server = new CellwatchServer(config.withExtension(config.extension().withAlerts(new AlertSettings(file, 100))));
        server.start();
        operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        gateway = Gateways.connect(GW, server.mqttPort(), GW);
        closeLater.add(() -> {
            if (gateway.getState().isConnected()) {
                gateway.disconnect();
            }
        });
    }

    private void publish(final String topic, final String payload) {
        assertThat(Gateways.publish(gateway, topic, payload).isError()).as("publish to " + topic).isFalse();
    }

    private List<String> ids(final String query) throws Exception {
        final List<String> rules = new ArrayList<>();
        for (final JsonNode alert : operator.getJson("/api/v1/alerts" + query).path("alerts")) {
            rules.add(alert.path("rule").asText());
        }
        return rules;
    }

    /** The alert of {@code rule} about {@code subject} in the operator's list, or a missing node. */
    private JsonNode alert(final String rule, final String subject) throws Exception {
        for (final JsonNode alert : operator.getJson("/api/v1/alerts").path("alerts")) {
            if (alert.path("rule").asText().equals(rule) && alert.path("subject").asText().equals(subject)) {
                return alert;
            }
        }
        return HttpApi.JSON.missingNode();
    }

    private JsonNode awaitState(final String rule, final String subject, final String state) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> alert(rule, subject), a -> a.path("state").asText().equals(state));
    }

    /** Waits until the alert engine has judged every sample published so far (the metric counts them). */
    private void awaitEvaluated() throws Exception {
        final HttpApi admin = new HttpApi(server.httpPort());
        final double accepted = admin.metric("cellwatch_ingest_samples_accepted_total");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.metric("cellwatch_alerts_samples_evaluated_total") >= accepted);
    }

    /** The acme webhook's state in {@code GET /api/v1/alerts/status}. */
    private JsonNode webhook() throws Exception {
        return operator.getJson("/api/v1/alerts/status").path("tenants").get(0).path("webhook");
    }

    /** The next change over the live socket and the alert topic: both {@code state}; returns the live alert. */
    /**
     * The next alert change on the live stream, which must be {@code state} and must also be the topic's next message.
     * QoS 1 is at least once: a subscription made just before a change may get that change twice (as the retained
     * message sent after SUBACK and as the live publish), so a repeat of the previous message is skipped.
     */
    private JsonNode change(final LiveClient live, final BlockingQueue<JsonNode> topic, final String state)
            throws InterruptedException {
        final JsonNode frame = live.next(10);
        assertThat(frame.path("type").asText()).isEqualTo("alert");
        assertThat(frame.path("alert").path("state").asText()).isEqualTo(state);
        JsonNode message = topic.poll(10, TimeUnit.SECONDS);
        while (message != null && message.equals(lastTopicMessage)) {
            message = topic.poll(10, TimeUnit.SECONDS);
        }
        assertThat(message).as("alert topic message").isNotNull();
        assertThat(message).isEqualTo(frame.path("alert"));
        lastTopicMessage = message;
        return frame.path("alert");
    }

    /** Every message on acme's alert topics, as JSON, for {@code user}. */
    private BlockingQueue<JsonNode> alertTopic(final String user) {
        return JsonTopic.subscribe(server.mqttPort(), user, "tenants/acme/alerts/+", closeLater::add);
    }

    private static String hmac(final byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (final java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Rule, state, value and who acknowledged, of every alert event in history, in order. */
    private List<String> historyEvents() throws Exception {
        final Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        final List<String> events = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"
                + dir.resolve("data").resolve(SampleStore.DATABASE_FILE).toAbsolutePath(), readOnly);
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT rule, state, value, by_user FROM alert_events"
                     + " WHERE tenant = 'acme' ORDER BY at_ms, rowid")) {
            while (rows.next()) {
                events.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getDouble(3) + " "
                        + rows.getString(4));
            }
        }
        return events;
    }
}
