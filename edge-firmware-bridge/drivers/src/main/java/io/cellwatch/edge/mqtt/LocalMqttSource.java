package io.cellwatch.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.cellwatch.edge.mapping.MappingResult;
import io.cellwatch.edge.mapping.RuleMapping;
import io.cellwatch.edge.mapping.TopicMapping;
import io.cellwatch.edge.publish.Backoff;
import io.cellwatch.edge.publish.MqttLink;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceHealth;
import io.cellwatch.edge.source.SourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Sensors that already publish to a plant-local MQTT broker: the gateway subscribes there (MQTT 3.1.1, which every
 * plant broker speaks; persistent session, QoS 1 by default) and maps each message with a {@link TopicMapping} into
 * a node reading that goes to the disk buffer before the message is acknowledged to the local broker. Messages that
 * cannot be mapped are counted by reason and logged once per reason. Reconnects with {@link Backoff} after any loss
 * and subscribes again on every connect (a lost session loses no subscription). Thread-safe.
 */
public final class LocalMqttSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(LocalMqttSource.class);

    /** {@code type = mqtt}: a plant-local broker's topics mapped by the section's rules. */
    public static final SourceType<MqttSourceSettings> TYPE = new SourceType<>("mqtt", MqttSourceSettings.class,
            MqttSectionReader::read,
            (settings, gateway, clock) -> new LocalMqttSource(settings,
                    new RuleMapping(settings.rules(), gateway.tenant(), gateway.plant(), clock),
                    Backoff.forReconnects(gateway.publish())));

    private final MqttSourceSettings settings;
    private final TopicMapping mapping;
    private final Mqtt3AsyncClient client;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong mapped = new AtomicLong();
    private final AtomicLong tsReplaced = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final Map<MappingResult.Drop, AtomicLong> dropped = new EnumMap<>(MappingResult.Drop.class);
    private final Map<MappingResult.Drop, Boolean> logged = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Consumer<NodeReading> sink = reading -> { };
    private volatile boolean connected;
    private volatile boolean everConnected;
    private volatile boolean closing;
    private volatile String detail = "not connected yet";

    public LocalMqttSource(final MqttSourceSettings settings, final TopicMapping mapping, final Backoff backoff)
            throws Exception {
        this.settings = settings;
        this.mapping = mapping;
        for (final MappingResult.Drop drop : MappingResult.Drop.values()) {
            dropped.put(drop, new AtomicLong());
        }
        Mqtt3ClientBuilder builder = MqttClient.builder().useMqttVersion3()
                .identifier(settings.clientId())
                .serverHost(settings.host())
                .serverPort(settings.port())
                .addConnectedListener(context -> onConnected())
                .addDisconnectedListener(context -> {
                    connected = false;
                    if (closing) {
                        return;
                    }
                    final String why = context.getCause().getMessage() == null ? context.getCause().toString()
                            : context.getCause().getMessage();
                    if (!detail.equals(why)) {
                        log.warn("source '{}': local broker {} lost or not reachable: {}; reconnecting with backoff",
                                name(), settings, why);
                    }
                    detail = why;
                    context.getReconnector().reconnect(true)
                            .delay(backoff.delayMs(context.getReconnector().getAttempts()), TimeUnit.MILLISECONDS);
                });
        if (settings.username() != null) {
            builder = builder.simpleAuth().username(settings.username())
                    .password(settings.password() == null ? new byte[0]
                            : settings.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        if (settings.tls()) {
            builder = builder.sslConfig(MqttLink.sslConfig(settings.trustStore(), settings.trustStorePassword()));
        }
        this.client = builder.buildAsync();
        // Registered before connecting: what the persistent session kept arrives right after CONNACK.
        client.publishes(MqttGlobalPublishFilter.ALL, this::onMessage);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public void onChange(final Consumer<NodeReading> sink) {
        this.sink = sink;
    }

    @Override
    public void start() {
        log.info("source '{}': subscribing to {} at {} as {}", name(), mapping.filters(), settings,
                settings.clientId());
        client.connectWith().cleanSession(false).keepAlive(30).send().whenComplete((ack, e) -> {
            if (e != null) {
                log.debug("source '{}': first connect failed: {}", name(), e.toString());
            }
        });
    }

    private void onConnected() {
        if (everConnected) {
            reconnects.incrementAndGet();
        }
        everConnected = true;
        final MqttQos qos = settings.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
        final List<String> filters = mapping.filters();
        final java.util.concurrent.CompletableFuture<?>[] acks = new java.util.concurrent.CompletableFuture<?>[filters.size()];
        for (int i = 0; i < acks.length; i++) {
            acks[i] = client.subscribeWith().topicFilter(filters.get(i)).qos(qos).send();
        }
        // Up (and healthy) only once the local broker confirmed every subscription.
        java.util.concurrent.CompletableFuture.allOf(acks).whenComplete((ok, e) -> {
            if (e != null) {
                detail = "subscribing failed: " + e.getMessage();
                log.warn("source '{}': {}", name(), detail);
                return;
            }
            connected = true;
            detail = "";
            log.info("source '{}': connected to the local broker {}, subscribed to {}", name(), settings, filters);
        });
    }

    private void onMessage(final Mqtt3Publish publish) {
        messages.incrementAndGet();
        final String topic = publish.getTopic().toString();
        final byte[] payload = publish.getPayloadAsBytes();
        final MappingResult result = mapping.map(topic, payload);
        if (result.reading() == null) {
            dropped.get(result.dropped()).incrementAndGet();
            if (logged.putIfAbsent(result.dropped(), Boolean.TRUE) == null) {
                log.warn("source '{}': message on {} dropped ({}): {} (counted; logged once per reason)", name(),
                        topic, result.dropped().counter(), preview(payload));
            }
            return;
        }
        if (result.tsReplaced()) {
            tsReplaced.incrementAndGet();
        }
        // Buffered before the callback returns, so before the local broker gets its PUBACK.
        sink.accept(result.reading());
        mapped.incrementAndGet();
    }

    private static String preview(final byte[] payload) {
        final String text = new String(payload, 0, Math.min(payload.length, 120), StandardCharsets.UTF_8);
        return payload.length > 120 ? text + "…" : text;
    }

    @Override
    public List<NodeReading> poll(final long now) {
        return List.of();
    }

    @Override
    public long readErrors() {
        long sum = 0;
        for (final AtomicLong count : dropped.values()) {
            sum += count.get();
        }
        return sum;
    }

    @Override
    public SourceHealth health() {
        final Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("messages", messages.get());
        counters.put("mapped", mapped.get());
        dropped.forEach((drop, count) -> counters.put("dropped-" + drop.counter(), count.get()));
        counters.put("ts-replaced", tsReplaced.get());
        counters.put("reconnects", reconnects.get());
        return connected ? SourceHealth.ok(counters)
                : new SourceHealth(everConnected ? "reconnecting" : "connecting", detail, counters);
    }

    /** True while connected to the local broker. */
    public boolean connected() {
        return connected;
    }

    /** Disconnects, waiting at most 5 s. Idempotent. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (final Exception e) {
            log.debug("source '{}': disconnect: {}", name(), e.toString());
        }
    }
}
