package io.cellwatch.edge.publish;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.edge.config.BrokerEndpoint;
import io.cellwatch.edge.config.BrokerSettings;
import io.cellwatch.edge.config.GatewayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's MQTT 5 connection: a persistent session (clean start off, session expiry from config), a retained
 * status topic that reads {@code online} while connected and {@code offline} (the will) after, and reconnects after
 * any loss with {@link Backoff}. With several brokers it fails over between them in config order
 * ({@link BrokerRotation}) with the same client id, login and TLS settings, and stays on the one that works.
 * Publishes left unacknowledged are published again by the client, in order, on whichever broker it reaches: one
 * that kept the session, or one that never had it (another ingest node); the {@code seq} in each payload is the
 * buffer's and never changes. Thread-safe.
 */
public final class MqttLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttLink.class);
    private static final Set<Mqtt5DisconnectReasonCode> LEAVING = Set.of(
            Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN, Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER,
            Mqtt5DisconnectReasonCode.SERVER_MOVED);

    private final Mqtt5AsyncClient client;
    private final String statusTopic;
    private final PublishStats stats;
    private final List<String> urls;
    private final BrokerRotation rotation;
    private volatile boolean connected;
    private volatile boolean closing;
    private volatile boolean down;
    /** The broker connected to or being tried, for {@link #state()}; the rotation is the listeners' own. */
    private volatile int broker;
    /** Connections made since start, so a health report can be sent again on each. */
    private final AtomicLong connections = new AtomicLong();
    /** The broker of the last connection, -1 before the first. */
    private volatile int lastConnected = -1;

    public MqttLink(final GatewayConfig config, final Backoff backoff, final PublishStats stats) throws Exception {
        this.statusTopic = config.statusTopic();
        this.stats = stats;
        final BrokerSettings settings = config.broker();
        this.urls = settings.urls();
        this.rotation = new BrokerRotation(urls.size());
        final MqttClientSslConfig ssl = settings.tls()
                ? sslConfig(settings.trustStore(), settings.trustStorePassword()) : null;
        final List<MqttClientTransportConfig> transports = new ArrayList<>();
        for (final BrokerEndpoint endpoint : settings.endpoints()) {
            transports.add(MqttClientTransportConfig.builder().serverHost(endpoint.host()).serverPort(endpoint.port())
                    .sslConfig(ssl).build());
        }
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
                .identifier(config.clientId())
                .transportConfig(transports.get(0))
                .willPublish().topic(statusTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(PayloadWriter.OFFLINE.getBytes(StandardCharsets.UTF_8)).applyWillPublish()
                .addConnectedListener(context -> onConnected())
                .addDisconnectedListener(context -> {
                    final boolean wasConnected = connected;
                    connected = false;
                    if (closing) {
                        return;
                    }
                    final int tried = broker;
                    // A broker that says it is going away is not tried again first: the next one is, at once.
                    final BrokerRotation.Hop hop = wasConnected && !leaving(context.getCause()) ? rotation.lost()
                            : rotation.failed();
                    broker = hop.broker();
                    if (!down) {
                        // Once per loss, not once per attempt.
                        down = true;
                        log.warn("MQTT link to {} lost or not reachable: {}; reconnecting with backoff{}",
                                urls.get(tried), context.getCause().toString(),
                                urls.size() > 1 ? ", failing over in order" : "");
                    } else if (hop.broker() != tried) {
                        log.debug("{} not reachable: {}; trying {}", urls.get(tried), context.getCause().toString(),
                                urls.get(hop.broker()));
                    }
                    context.getReconnector().reconnect(true).republishIfSessionExpired(true)
                            .transportConfig(transports.get(hop.broker()))
                            .delay(hop.waits() ? backoff.delayMs(hop.backoffAttempt()) : 0, TimeUnit.MILLISECONDS);
                });
        if (settings.username() != null) {
            builder = builder.simpleAuth().username(settings.username())
                    .password(settings.password() == null ? new byte[0]
                            : settings.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        this.client = builder.buildAsync();
    }

    /** True when the broker closed the link saying it is shutting down or that another server should be used. */
    static boolean leaving(final Throwable cause) {
        return cause instanceof Mqtt5DisconnectException disconnect
                && LEAVING.contains(disconnect.getMqttMessage().getReasonCode());
    }

    /** Starts connecting; returns at once. Failures are retried by the reconnect policy. */
    public void start(final long sessionExpirySeconds) {
        client.connectWith().cleanStart(false).sessionExpiryInterval(sessionExpirySeconds).send()
                .whenComplete((ack, e) -> {
                    if (e != null) {
                        log.debug("first connect failed: {}", e.toString());
                    }
                });
    }

    public boolean connected() {
        return connected;
    }

    /** Publishes at QoS 1; the future completes when the broker acknowledged (or refused) it. */
    public CompletableFuture<Mqtt5PublishResult> publish(final String topic, final String payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** Publishes a retained message at QoS 1 (the gateway's health); the future completes on the broker's answer. */
    public CompletableFuture<Mqtt5PublishResult> publishRetained(final String topic, final String payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** How many times the link connected since start (0 before the first); each new connection counts. */
    public long connections() {
        return connections.get();
    }

    /** The brokers, the one in use or being tried, and whether the link is up. */
    public LinkState state() {
        return new LinkState(urls, broker, connected);
    }

    private void onConnected() {
        rotation.connected();
        final int now = broker;
        final int before = lastConnected;
        lastConnected = now;
        connected = true;
        down = false;
        if (before >= 0 && before != now) {
            stats.reconnects.incrementAndGet();
            stats.brokerSwitches.incrementAndGet();
            // Everything without a PUBACK goes to this broker now, in order, under its old seq.
            log.info("MQTT link moved from {} to {}", urls.get(before), urls.get(now));
        } else if (before >= 0) {
            stats.reconnects.incrementAndGet();
            log.info("MQTT link to {} re-established", urls.get(now));
        } else if (urls.size() > 1) {
            log.info("MQTT link connected to {}", urls.get(now));
        }
        client.publishWith().topic(statusTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(PayloadWriter.ONLINE.getBytes(StandardCharsets.UTF_8)).send();
        connections.incrementAndGet();
    }

    /** TLS trusting the PKCS12 {@code trustStore}, or the JVM's CAs when it is null (also for local brokers). */
    public static MqttClientSslConfig sslConfig(final java.nio.file.Path trustStore, final String password)
            throws Exception {
        if (trustStore == null) {
            return MqttClientSslConfig.builder().build();
        }
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        return MqttClientSslConfig.builder().trustManagerFactory(trust).build();
    }

    /** Says {@code offline} on the status topic and disconnects, waiting at most 5 s. Idempotent. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            if (connected) {
                client.publishWith().topic(statusTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                        .payload(PayloadWriter.OFFLINE.getBytes(StandardCharsets.UTF_8)).send()
                        .get(5, TimeUnit.SECONDS);
            }
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (final Exception e) {
            log.debug("disconnect: {}", e.toString());
        }
    }
}
