package io.cellwatch.extension.config;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What this node does in a cluster and how it reaches Apache Kafka. One node without Kafka ({@link NodeRole#ALL})
 * needs none of it.
 *
 * @param role                 what this node runs
 * @param nodeId               this node's name, stable across restarts and unique in the cluster (the exporter's
 *                             transactional id and the serving node's static consumer-group member id derive from it)
 * @param bootstrapServers     Kafka's bootstrap servers, {@code host:port,host:port}
 * @param topicPrefix          prefix of cellwatch's Kafka topics ({@code <prefix>samples},
 *                             {@code <prefix>export-positions})
 * @param partitions           partitions of the samples topic when cellwatch creates it
 * @param maxExportLagSeconds  how long the exporter may have WAL records pending before {@code /readyz} fails
 * @param clientProperties     {@code kafka.client.*} settings passed to every Kafka client as they are (TLS, SASL)
 */
public record ClusterSettings(NodeRole role, String nodeId, String bootstrapServers, String topicPrefix,
                              int partitions, int maxExportLagSeconds, Map<String, String> clientProperties) {

    public static final String ROLE = "node.role";
    public static final String NODE_ID = "node.id";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
    public static final String TOPIC_PREFIX = "kafka.topic-prefix";
    public static final String PARTITIONS = "kafka.partitions";
    public static final String MAX_EXPORT_LAG_SECONDS = "kafka.max-export-lag-seconds";
    /** Settings under this prefix go to the Kafka clients without it: {@code kafka.client.security.protocol=SSL}. */
    public static final String CLIENT_PREFIX = "kafka.client.";

    public ClusterSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** One node, no Kafka. */
    public static ClusterSettings defaults() {
        return new ClusterSettings(NodeRole.ALL, "", "", "cellwatch.", 12, 60, Map.of());
    }

    /** A copy running {@code role} as {@code nodeId} against the Kafka cluster at {@code bootstrapServers}. */
    public ClusterSettings withRole(final NodeRole newRole, final String newNodeId, final String servers) {
        return new ClusterSettings(newRole, newNodeId, servers, topicPrefix, partitions, maxExportLagSeconds,
                clientProperties);
    }

    /** The Kafka topic of samples and gateway events. */
    public String samplesTopic() {
        return topicPrefix + "samples";
    }

    /** The Kafka topic where each ingest node records, in its export transactions, how far its WAL is exported. */
    public String positionsTopic() {
        return topicPrefix + "export-positions";
    }

    /** Bootstrap servers and the pass-through client settings, as a Kafka client takes them. */
    public Properties kafkaProperties() {
        final Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put("bootstrap.servers", bootstrapServers);
        return properties;
    }

    static ClusterSettings from(final ConfigFile file, final ConfigErrors errors) {
        final ClusterSettings d = defaults();
        NodeRole role = d.role();
        final var roleEntry = file.entry(ROLE);
        if (roleEntry.isPresent()) {
            try {
                role = NodeRole.parse(roleEntry.get().value());
            } catch (final IllegalArgumentException e) {
                errors.add(file.source(), roleEntry.get().line(), ROLE, e.getMessage());
            }
        }
        final String nodeId = file.entry(NODE_ID).map(ConfigFile.Entry::value).orElse("");
        final String servers = file.entry(BOOTSTRAP_SERVERS).map(ConfigFile.Entry::value).orElse("");
        if (role != NodeRole.ALL) {
            if (nodeId.isEmpty()) {
                errors.add(file.source(), 0, NODE_ID, "required for " + ROLE + " " + role.word()
                        + ": a name unique in the cluster and stable across restarts");
            } else if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
                errors.add(file.source(), file.entry(NODE_ID).get().line(), NODE_ID,
                        "'" + nodeId + "' is not 1 to 64 of A-Z a-z 0-9 . _ -");
            }
            if (servers.isEmpty()) {
                errors.add(file.source(), 0, BOOTSTRAP_SERVERS, "required for " + ROLE + " " + role.word());
            }
        }
        final Map<String, String> client = new TreeMap<>();
        for (final String key : file.keys()) {
            if (key.startsWith(CLIENT_PREFIX) && key.length() > CLIENT_PREFIX.length()) {
                client.put(key.substring(CLIENT_PREFIX.length()), file.entry(key).get().value());
            }
        }
        return new ClusterSettings(role, nodeId, servers,
                file.stringValue(TOPIC_PREFIX, d.topicPrefix(), errors),
                file.intValue(PARTITIONS, d.partitions(), 1, 10_000, errors),
                file.intValue(MAX_EXPORT_LAG_SECONDS, d.maxExportLagSeconds(), 1, 86_400, errors),
                client);
    }
}
