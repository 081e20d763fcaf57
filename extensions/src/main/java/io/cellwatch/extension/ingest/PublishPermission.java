package io.cellwatch.extension.ingest;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;

/**
 * Whether a client may publish to a topic. HiveMQ runs inbound interceptors before its authorizers, so the
 * interceptor asks this first: a publish the ACL refuses never reaches the WAL, the history or the live view.
 * Implementations are called on the broker's extension threads and must not block.
 */
@FunctionalInterface
public interface PublishPermission {

    /** Everyone may publish everywhere (access control off). */
    PublishPermission ANYONE = (connection, clientId, topic) -> true;

    /** True if {@code clientId} on {@code connection} may publish to {@code topic}. */
    boolean mayPublish(ConnectionInformation connection, String clientId, String topic);
}
