package io.cellwatch.edge.publish;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.edge.config.BrokerSettings;
import io.cellwatch.edge.config.GatewayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's MQTT 5 connection: a persistent session (clean start off, session expiry from config), a retained
 * status topic that reads {@code online} while connected and {@code offline} (the will) after, and reconnects after
 * any loss with {@link Backoff}. Publishes left unacknowledged when the broker lost the session are published again
 * by the client, in order. Thread-safe.
 */
public final class MqttLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttLink.class);

    private final Mqtt5AsyncClient client;
    private final String statusTopic;
    private final PublishStats stats;
    private volatile boolean connected;
    private volatile boolean everConnected;
    private volatile boolean closing;
    private volatile boolean down;

    public MqttLink(final GatewayConfig config, final Backoff backoff, final PublishStats stats) throws Exception {
        this.statusTopic = config.statusTopic();
        this.stats = stats;
        final BrokerSettings broker = config.broker();
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
                .identifier(config.clientId())
                .serverHost(broker.host())
                .serverPort(broker.port())
                .willPublish().topic(statusTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(PayloadWriter.OFFLINE.getBytes(StandardCharsets.UTF_8)).applyWillPublish()
                .addConnectedListener(context -> onConnected())
                .addDisconnectedListener(context -> {
                    connected = false;
                    if (closing) {
                        return;
                    }
                    final int attempt = context.getReconnector().getAttempts();
                    final long delay = backoff.delayMs(attempt);
                    if (!down) {
                        // Once per loss, not once per attempt.
                        down = true;
                        log.warn("MQTT link to {} lost or not reachable: {}; reconnecting with backoff",
                                broker, context.getCause().toString());
                    }
                    context.getReconnector().reconnect(true).republishIfSessionExpired(true)
                            .delay(delay, TimeUnit.MILLISECONDS);
                });
        if (broker.username() != null) {
            builder = builder.simpleAuth().username(broker.username())
                    .password(broker.password() == null ? new byte[0]
                            : broker.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        if (broker.tls()) {
            builder = builder.sslConfig(sslConfig(broker.trustStore(), broker.trustStorePassword()));
        }
        this.client = builder.buildAsync();
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

    private void onConnected() {
        connected = true;
        down = false;
        if (everConnected) {
            stats.reconnects.incrementAndGet();
            log.info("MQTT link re-established");
        }
        everConnected = true;
        client.publishWith().topic(statusTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(PayloadWriter.ONLINE.getBytes(StandardCharsets.UTF_8)).send();
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
