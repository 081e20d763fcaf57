package io.cellwatch.extension.security;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;

import java.util.EnumMap;
import java.util.Map;

/** Metrics of MQTT access decisions ({@code cellwatch_mqtt_…} on {@code /metrics}). Thread-safe. */
final class MqttAccessMetrics {

    private final CounterDataPoint loginFailed;
    private final CounterDataPoint loginThrottled;
    private final CounterDataPoint publishDenied;
    private final CounterDataPoint subscribeDenied;
    private final Map<ClientIdGuard.Refusal, CounterDataPoint> clientIdRefused =
            new EnumMap<>(ClientIdGuard.Refusal.class);

    MqttAccessMetrics(final Metrics metrics) {
        final Counter logins = metrics.counter("cellwatch_mqtt_logins_refused_total",
                "MQTT logins refused: reason bad_credentials (unknown user or wrong password) or throttled (too many"
                        + " failures from the address)", "reason");
        loginFailed = logins.labelValues("bad_credentials");
        loginThrottled = logins.labelValues("throttled");
        final Counter denied = metrics.counter("cellwatch_mqtt_acl_denied_total",
                "MQTT publishes (wills included) and subscriptions the ACL denied, by action", "action");
        publishDenied = denied.labelValues("publish");
        subscribeDenied = denied.labelValues("subscribe");
        final Counter refused = metrics.counter("cellwatch_mqtt_clientid_refused_total",
                "MQTT CONNECTs refused for their client id, by reason (docs/access-control.md)", "reason");
        for (final ClientIdGuard.Refusal refusal : ClientIdGuard.Refusal.values()) {
            clientIdRefused.put(refusal, refused.labelValues(refusal.metricName()));
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

    CounterDataPoint publishDenied() {
        return publishDenied;
    }

    CounterDataPoint subscribeDenied() {
        return subscribeDenied;
    }

    void clientIdRefused(final ClientIdGuard.Refusal refusal) {
        clientIdRefused.get(refusal).inc();
    }
}
