package io.cellwatch.extension.cluster;

import io.cellwatch.extension.config.ClusterSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * cellwatch's Kafka topics, created on first use if the cluster lacks them: the samples topic (keyed by tenant, with
 * the configured partitions and the cluster's default replication) and the compacted export-positions topic (one
 * partition, keyed by ingest node). Topics an admin made beforehand are used as they are.
 */
public final class ClusterTopics {

    private ClusterTopics() {
    }

    /** Creates whichever of the two topics is missing; waits at most {@code timeoutMillis}. */
    public static void ensure(final ClusterSettings settings, final long timeoutMillis)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(settings.kafkaProperties())) {
            final Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            final List<NewTopic> missing = new java.util.ArrayList<>();
            if (!existing.contains(settings.samplesTopic())) {
                missing.add(new NewTopic(settings.samplesTopic(), Optional.of(settings.partitions()),
                        Optional.empty()));
            }
            if (!existing.contains(settings.positionsTopic())) {
                missing.add(new NewTopic(settings.positionsTopic(), Optional.of(1), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (final ExecutionException e) {
                // Another node created it meanwhile.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
