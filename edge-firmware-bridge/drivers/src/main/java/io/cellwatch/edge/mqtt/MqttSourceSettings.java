package io.cellwatch.edge.mqtt;

import io.cellwatch.edge.config.SourceSettings;
import io.cellwatch.edge.mapping.MappingRule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A plant-local MQTT broker whose sensor messages the gateway subscribes to and maps into the plant's tree.
 *
 * @param clientId the gateway's client id at the local broker (a persistent session, so QoS 1 messages wait there
 *                 while the gateway is away)
 * @param qos      0 or 1
 * @param rules    the mapping rules, in config order (the first that matches a topic maps it)
 */
public record MqttSourceSettings(String name, String host, int port, boolean tls, String username, String password,
                                 Path trustStore, String trustStorePassword, String clientId, int qos,
                                 List<MappingRule> rules) implements SourceSettings {

    public MqttSourceSettings {
        rules = List.copyOf(rules);
    }

    @Override
    public Duration pollInterval() {
        // Nothing to poll: messages are pushed. The poller only asks for nothing once a minute.
        return Duration.ofMinutes(1);
    }

    @Override
    public String toString() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port + (username == null ? "" : " as " + username);
    }
}
