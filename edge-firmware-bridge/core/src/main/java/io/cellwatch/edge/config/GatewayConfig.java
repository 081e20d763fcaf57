package io.cellwatch.edge.config;

import io.cellwatch.contract.TopicBuilder;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A gateway's validated config: who it publishes as, where to, its buffer and its sources.
 *
 * @param tenant   the tenant the plant belongs to
 * @param plant    the plant id; every source's paths are under {@code tenants/{tenant}/plants/{plant}}
 * @param clientId the MQTT client id; the broker keeps the {@code seq} high-water mark per client id
 * @param metricsAddress where {@code /metrics} listens, or null for off
 */
public record GatewayConfig(String tenant, String plant, String clientId, BrokerSettings broker,
                            BufferSettings buffer, PublishSettings publish, InetSocketAddress metricsAddress,
                            List<SourceSettings> sources) {

    public GatewayConfig {
        sources = List.copyOf(sources);
    }

    /** The plant node every sample is published under. */
    public TopicBuilder plantNode() {
        return TopicBuilder.tenant(tenant).child("plants", plant);
    }

    /** The retained status topic: {@code online} while connected, {@code offline} (the will) after. */
    public String statusTopic() {
        return plantNode().child("gateways", clientId).reserved("status");
    }

    /** Where the gateway reports its health, retained: {@code …/plants/{plant}/gateways/{clientId}/status/health}. */
    public String healthTopic() {
        return plantNode().gatewayHealth(clientId);
    }
}
