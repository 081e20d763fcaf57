package io.cellwatch.extension.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterSettingsTest {

    private static final String SOURCE = "conf/cellwatch.properties";
    private final ConfigErrors errors = new ConfigErrors();

    private ClusterSettings read(final String... lines) {
        return ClusterSettings.from(ConfigFile.parse(SOURCE, List.of(lines), errors), errors);
    }

    @Test
    void oneNodeWithoutKafkaByDefault() {
        assertThat(read().role()).isEqualTo(NodeRole.ALL);
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void readsAnIngestNode() {
        final ClusterSettings settings = read("node.role=ingest", "node.id=ingest-1",
                "kafka.bootstrap-servers=k1:9092,k2:9092", "kafka.partitions=24");

        assertThat(errors.messages()).isEmpty();
        assertThat(settings.role()).isEqualTo(NodeRole.INGEST);
        assertThat(settings.nodeId()).isEqualTo("ingest-1");
        assertThat(settings.partitions()).isEqualTo(24);
        assertThat(settings.samplesTopic()).isEqualTo("cellwatch.samples");
        assertThat(settings.kafkaProperties()).containsEntry("bootstrap.servers", "k1:9092,k2:9092");
    }

    @Test
    void namesTheFieldAndTheRolesOfAnUnknownRole() {
        read("node.role=ingest+serve");

        assertThat(errors.messages()).singleElement().asString()
                .contains(SOURCE + ":1", "node.role", "'ingest+serve' is not a role", "all, ingest, serve");
    }

    @Test
    void aClusterRoleNeedsANodeIdAndKafka() {
        read("node.role=serve");

        assertThat(errors.messages()).anySatisfy(m -> assertThat(m).contains("node.id", "required for node.role serve"))
                .anySatisfy(m -> assertThat(m).contains("kafka.bootstrap-servers", "required"));
    }

    @Test
    void passesKafkaClientSettingsThrough() {
        final ClusterSettings settings = read("node.role=ingest", "node.id=a", "kafka.bootstrap-servers=k:9093",
                "kafka.client.security.protocol=SASL_SSL", "kafka.client.sasl.mechanism=SCRAM-SHA-512");

        assertThat(settings.clientProperties()).isEqualTo(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512"));
        assertThat(settings.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void kafkaClientSettingsAreNoUnknownKeysAndComeFromTheEnvironmentToo() {
        final ConfigFile file = ConfigFile.parse(SOURCE, List.of("kafka.client.ssl.truststore.location=/t.jks"),
                errors).withEnvironment(Map.of("CELLWATCH_KAFKA_CLIENT_SASL_MECHANISM", "PLAIN"),
                ExtensionSettings.KEYS, Set.of(), errors);
        file.rejectUnknownKeys(ExtensionSettings.KEYS, errors);

        assertThat(errors.messages()).isEmpty();
        assertThat(ClusterSettings.from(file, errors).clientProperties())
                .containsEntry("sasl.mechanism", "PLAIN").containsEntry("ssl.truststore.location", "/t.jks");
    }
}
