package io.cellwatch.edge.publish;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import io.cellwatch.contract.GatewayHealth;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.edge.source.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reports the gateway's health to the server: the sources' states, details and failing requests with their missing
 * series, as one retained QoS 1 report ({@link PayloadWriter#gatewayHealth}) on
 * {@code …/gateways/{clientId}/status/health}. Sent when any of that changes (not for counters alone, so a request
 * failing poll after poll is one report) and again on every new connection, since the server keeps a report only
 * for the connection it came on. {@link #report} is called from one scheduled task at a time.
 */
public final class HealthReporter {

    private static final Logger log = LoggerFactory.getLogger(HealthReporter.class);

    private final MqttLink link;
    private final String topic;
    private final Supplier<List<Source>> sources;
    /** What was last sent, without its counters. */
    private GatewayHealth sent;
    /** The connection it was sent on; -1 when it must be sent again (never sent, or refused). */
    private volatile long sentOn = -1;

    public HealthReporter(final MqttLink link, final String topic, final Supplier<List<Source>> sources) {
        this.link = link;
        this.topic = topic;
        this.sources = sources;
    }

    /** The gateway's health now: every source's, and the worst of their states. */
    public GatewayHealth current() {
        String state = "ok";
        final List<GatewayHealth.Source> reports = new ArrayList<>();
        for (final Source source : sources.get()) {
            final GatewayHealth.Source report = source.health().report(source.name());
            state = GatewayHealth.worse(state, report.state());
            reports.add(report);
        }
        return new GatewayHealth(state, reports, 0);
    }

    /** Sends the health if it changed or the link reconnected since it was last sent; nothing while down. */
    public void report() {
        if (!link.connected()) {
            return;
        }
        final long connection = link.connections();
        final GatewayHealth now = current();
        final GatewayHealth shape = withoutCounts(now);
        if (connection == sentOn && shape.equals(sent)) {
            return;
        }
        sent = shape;
        sentOn = connection;
        if (!now.state().equals("ok")) {
            log.debug("reporting health {}", now.state());
        }
        link.publishRetained(topic, PayloadWriter.gatewayHealth(now)).whenComplete((result, failure) -> {
            final Throwable error = failure != null ? failure : result.getError().orElse(null);
            if (error == null) {
                return;
            }
            if (error instanceof Mqtt5PubAckException || error.getCause() instanceof Mqtt5PubAckException) {
                // Refused (an ACL without the topic): it would be refused again, so it waits for the next change or
                // connection instead of being sent every check.
                log.warn("the server refused the gateway's health report on {}: {}", topic, error.getMessage());
            } else {
                // Lost with the link: sent again at the next check.
                sentOn = -1;
                log.debug("health report not sent: {}", error.toString());
            }
        });
    }

    private static GatewayHealth withoutCounts(final GatewayHealth health) {
        return new GatewayHealth(health.state(), health.sources().stream().map(s -> new GatewayHealth.Source(
                s.name(), s.state(), s.detail(), s.problems().stream().map(p -> new GatewayHealth.Problem(p.request(),
                p.error(), 0, p.missing(), p.series())).toList(), s.moreProblems())).toList(), health.moreSources());
    }
}
