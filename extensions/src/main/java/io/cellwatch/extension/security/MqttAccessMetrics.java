package io.cellwatch.extension.security;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

import java.util.EnumMap;
import java.util.Map;

/** Counters of MQTT access decisions, exported by {@code /metrics}. Thread-safe. */
final class MqttAccessMetrics {

    private final Counter loginFailed;
    private final Counter loginThrottled;
    private final Counter publishDenied;
    private final Counter subscribeDenied;
    private final Map<ClientIdGuard.Refusal, Counter> clientIdRefused = new EnumMap<>(ClientIdGuard.Refusal.class);

    MqttAccessMetrics(final MetricRegistry registry) {
        loginFailed = registry.counter("cellwatch.mqtt.auth.failed");
        loginThrottled = registry.counter("cellwatch.mqtt.auth.throttled");
        publishDenied = registry.counter("cellwatch.mqtt.acl.denied.publish");
        subscribeDenied = registry.counter("cellwatch.mqtt.acl.denied.subscribe");
        for (final ClientIdGuard.Refusal refusal : ClientIdGuard.Refusal.values()) {
            clientIdRefused.put(refusal, registry.counter("cellwatch.mqtt.clientid.refused." + refusal.metricName()));
        }
    }

    void loginFailed() {
        loginFailed.inc();
    }

    void loginThrottled() {
        loginThrottled.inc();
    }

    /** A will counts as a denied publish: it is one, decided at CONNECT. */
    void willDenied() {
        publishDenied.inc();
    }

    Counter publishDenied() {
        return publishDenied;
    }

    Counter subscribeDenied() {
        return subscribeDenied;
    }

    void clientIdRefused(final ClientIdGuard.Refusal refusal) {
        clientIdRefused.get(refusal).inc();
    }
}
