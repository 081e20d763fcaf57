package io.cellwatch.extension.sparkplug;

import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.fleet.FleetState;
import io.cellwatch.extension.fleet.StateCause;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.TelemetryIngest;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sparkplug B host's view of every edge node: birth certificates define metric names, aliases and types; every
 * later message of the node must carry the next {@code seq} (0..255, wrapping), or the node is asked to rebirth and
 * its data is dropped until it does; a death certificate counts only with the {@code bdSeq} of the birth it ends.
 * Births and deaths set the node's (and each device's) state in the fleet; metrics become samples of
 * {@code tenants/{tenant}/groups/{group}/nodes/{node}[/devices/{device}]}. Confined to the Sparkplug thread: not
 * thread-safe.
 */
final class EdgeNodes {

    private static final Logger log = LoggerFactory.getLogger(EdgeNodes.class);
    /** The fleet's "user" of Sparkplug B nodes and devices: their state follows certificates, not a login. */
    static final String FLEET_USER = "sparkplug";
    /** Least time between two rebirth requests to one node. */
    static final long REBIRTH_INTERVAL_MS = 5_000;

    /** One device of a node, from its DBIRTH. */
    private static final class Device {
        final MetricDataTypeMap types = new MetricDataTypeMap();
        final Map<Long, String> aliases = new HashMap<>();
        GatewayKey fleetKey;
        long fleetConnection;
    }

    /** One edge node, from its NBIRTH. */
    private static final class Node {
        final MetricDataTypeMap types = new MetricDataTypeMap();
        final Map<Long, String> aliases = new HashMap<>();
        final Map<String, Device> devices = new HashMap<>();
        long bdSeq = -1;
        long seq;
        boolean awaitingRebirth;
        GatewayKey fleetKey;
        long fleetConnection;
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Long> rebirthAskedAt = new HashMap<>();
    private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
    private final TelemetryIngest ingest;
    private final FleetState fleet;
    private final RebirthRequests rebirths;
    private final SparkplugMetrics metrics;
    private final Clock clock;

    EdgeNodes(final TelemetryIngest ingest, final FleetState fleet, final RebirthRequests rebirths,
              final SparkplugMetrics metrics, final Clock clock) {
        this.ingest = ingest;
        this.fleet = fleet;
        this.rebirths = rebirths;
        this.metrics = metrics;
        this.clock = clock;
    }

    void handle(final SparkplugMessage message) {
        metrics.message();
        final SparkplugTopic topic = message.topic();
        final String key = topic.group() + "/" + topic.node();
        final Node node = nodes.get(key);
        switch (topic.type()) {
            case "NBIRTH" -> birth(key, node, message);
            case "NDEATH" -> death(key, node, message);
            default -> {
                if (node == null) {
                    // Data of a node born before cellwatch started (or whose birth was lost): ask for its birth.
                    askRebirth(key, topic);
                    return;
                }
                final SparkplugBPayload payload = decode(message, typesFor(node, topic));
                if (payload == null || !inSequence(key, node, topic, payload)) {
                    return;
                }
                fleet.seen(node.fleetKey);
                switch (topic.type()) {
                    case "NDATA" -> samples(message, nodeTopic(message), payload, node.aliases);
                    case "DBIRTH" -> deviceBirth(node, message, payload);
                    case "DDATA" -> deviceData(key, node, message, payload);
                    case "DDEATH" -> deviceDeath(node, topic);
                    default -> log.debug("ignored Sparkplug B {}", topic);
                }
            }
        }
    }

    private MetricDataTypeMap typesFor(final Node node, final SparkplugTopic topic) {
        if (topic.device() == null) {
            return node.types;
        }
        final Device device = node.devices.get(topic.device());
        return device == null || topic.type().equals("DBIRTH") ? new MetricDataTypeMap() : device.types;
    }

    private void birth(final String key, final Node previous, final SparkplugMessage message) {
        final SparkplugBPayload payload = decode(message, new MetricDataTypeMap());
        if (payload == null) {
            return;
        }
        if (previous != null) {
            previous.devices.values().forEach(d -> fleet.disconnected(d.fleetKey, d.fleetConnection, StateCause.BIRTH));
        }
        final Node node = new Node();
        node.seq = payload.getSeq() == null ? 0 : payload.getSeq();
        for (final Metric metric : payload.getMetrics()) {
            learn(metric, node.types, node.aliases);
            if ("bdSeq".equals(metric.getName()) && metric.getValue() instanceof Number number) {
                node.bdSeq = number.longValue();
            }
        }
        final SparkplugTopic topic = message.topic();
        node.fleetKey = new GatewayKey(message.tenant(), FLEET_USER,
                SparkplugNames.level(topic.group()) + ":" + SparkplugNames.level(topic.node()));
        node.fleetConnection = fleet.connected(node.fleetKey, StateCause.BIRTH);
        nodes.put(key, node);
        rebirthAskedAt.remove(key);
        samples(message, nodeTopic(message), payload, node.aliases);
    }

    private void death(final String key, final Node node, final SparkplugMessage message) {
        final SparkplugBPayload payload = decode(message, new MetricDataTypeMap());
        if (node == null || payload == null) {
            return;
        }
        long bdSeq = -1;
        for (final Metric metric : payload.getMetrics()) {
            if ("bdSeq".equals(metric.getName()) && metric.getValue() instanceof Number number) {
                bdSeq = number.longValue();
            }
        }
        if (bdSeq != node.bdSeq) {
            // The will of an earlier session, delivered after the node was born again: it ends nothing.
            metrics.staleDeath();
            log.info("ignored Sparkplug B NDEATH of {} with bdSeq {}: the node was born with bdSeq {}", key, bdSeq,
                    node.bdSeq);
            return;
        }
        node.devices.values().forEach(d -> fleet.disconnected(d.fleetKey, d.fleetConnection, StateCause.DEATH));
        fleet.disconnected(node.fleetKey, node.fleetConnection, StateCause.DEATH);
        nodes.remove(key);
    }

    private void deviceBirth(final Node node, final SparkplugMessage message, final SparkplugBPayload payload) {
        final SparkplugTopic topic = message.topic();
        final Device previous = node.devices.get(topic.device());
        final Device device = new Device();
        payload.getMetrics().forEach(metric -> learn(metric, device.types, device.aliases));
        device.fleetKey = previous != null ? previous.fleetKey : new GatewayKey(message.tenant(), FLEET_USER,
                node.fleetKey.clientId() + ":" + SparkplugNames.level(topic.device()));
        device.fleetConnection = fleet.connected(device.fleetKey, StateCause.BIRTH);
        node.devices.put(topic.device(), device);
        samples(message, nodeTopic(message), payload, device.aliases);
    }

    private void deviceData(final String key, final Node node, final SparkplugMessage message,
                            final SparkplugBPayload payload) {
        final Device device = node.devices.get(message.topic().device());
        if (device == null) {
            node.awaitingRebirth = true;
            askRebirth(key, message.topic());
            return;
        }
        fleet.seen(device.fleetKey);
        samples(message, nodeTopic(message), payload, device.aliases);
    }

    private void deviceDeath(final Node node, final SparkplugTopic topic) {
        final Device device = node.devices.remove(topic.device());
        if (device != null) {
            fleet.disconnected(device.fleetKey, device.fleetConnection, StateCause.DEATH);
        }
    }

    private boolean inSequence(final String key, final Node node, final SparkplugTopic topic,
                               final SparkplugBPayload payload) {
        if (node.awaitingRebirth) {
            askRebirth(key, topic);
            return false;
        }
        final long expected = (node.seq + 1) % 256;
        final Long seq = payload.getSeq();
        if (seq == null || seq != expected) {
            metrics.gap();
            log.info("Sparkplug B {} of {}: seq {} where {} was due; asking for a rebirth", topic.type(), key, seq,
                    expected);
            node.awaitingRebirth = true;
            askRebirth(key, topic);
            return false;
        }
        node.seq = seq;
        return true;
    }

    private void askRebirth(final String key, final SparkplugTopic topic) {
        final long now = clock.millis();
        final Long last = rebirthAskedAt.get(key);
        if (last != null && now - last < REBIRTH_INTERVAL_MS) {
            return;
        }
        rebirthAskedAt.put(key, now);
        try {
            final Metric rebirth = new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true)
                    .createMetric();
            final byte[] bytes = new SparkplugBPayloadEncoder().getBytes(
                    new SparkplugBPayload(new Date(now), List.of(rebirth)), false);
            rebirths.request(topic.nodeCommandTopic(), bytes);
            metrics.rebirthRequested();
        } catch (final IOException | org.eclipse.tahu.SparkplugInvalidTypeException e) {
            log.error("could not encode a rebirth request for {}", key, e);
        }
    }

    private static void learn(final Metric metric, final MetricDataTypeMap types, final Map<Long, String> aliases) {
        if (metric.hasName()) {
            types.addMetricDataType(metric.getName(), metric.getDataType());
            if (metric.hasAlias()) {
                types.addMetricDataType(metric.getAlias(), metric.getDataType());
                aliases.put(metric.getAlias(), metric.getName());
            }
        }
    }

    /** The metrics as samples, one node publish per distinct timestamp. */
    private void samples(final SparkplugMessage message, final String nodeTopic, final SparkplugBPayload payload,
                         final Map<Long, String> aliases) {
        final long payloadTs = payload.getTimestamp() != null ? payload.getTimestamp().getTime() : clock.millis();
        final Map<Long, Map<String, Double>> byTime = new LinkedHashMap<>();
        for (final Metric metric : payload.getMetrics()) {
            final String name = metric.hasName() ? metric.getName()
                    : metric.hasAlias() ? aliases.get(metric.getAlias()) : null;
            final String level = SparkplugNames.metric(name);
            final Double value = value(metric);
            if (level == null || value == null) {
                continue;
            }
            final long ts = metric.getTimestamp() != null ? metric.getTimestamp().getTime() : payloadTs;
            byTime.computeIfAbsent(ts, t -> new LinkedHashMap<>()).put(level, value);
        }
        for (final Map.Entry<Long, Map<String, Double>> at : byTime.entrySet()) {
            final List<String> names = new ArrayList<>(at.getValue().keySet());
            final double[] values = at.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            try {
                ingest.ingestNode(message.publisher(), nodeTopic, names.toArray(new String[0]), values, at.getKey());
            } catch (final Rejection rejection) {
                log.warn("Sparkplug B {} not ingested: {}", message.topic(), rejection.getMessage());
            }
        }
    }

    private static Double value(final Metric metric) {
        if (Boolean.TRUE.equals(metric.isNull())) {
            return null;
        }
        final Object value = metric.getValue();
        if (value instanceof Number number) {
            final double d = number.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Boolean flag) {
            return flag ? 1.0 : 0.0;
        }
        return null;
    }

    private static String nodeTopic(final SparkplugMessage message) {
        final SparkplugTopic topic = message.topic();
        TopicBuilder node = TopicBuilder.tenant(message.tenant())
                .child("groups", SparkplugNames.level(topic.group()))
                .child("nodes", SparkplugNames.level(topic.node()));
        if (topic.device() != null) {
            node = node.child("devices", SparkplugNames.level(topic.device()));
        }
        return node.node();
    }

    private SparkplugBPayload decode(final SparkplugMessage message, final MetricDataTypeMap types) {
        try {
            return decoder.buildFromByteArray(message.payload(), types);
        } catch (final Exception e) {
            // Tahu declares Exception; a payload it cannot read is counted and logged, never thrown at the broker.
            metrics.undecodable();
            log.warn("undecodable Sparkplug B payload on {}: {}", message.topic(), e.toString());
            return null;
        }
    }
}
