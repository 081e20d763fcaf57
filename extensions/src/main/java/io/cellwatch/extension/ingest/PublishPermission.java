package io.cellwatch.extension.ingest;

import io.cellwatch.contract.TopicBuilder;

/**
 * Whether one connected client may publish to a topic, bound to that client when it is initialised (after
 * authentication). HiveMQ runs inbound interceptors before any publish authorizer, so the interceptor asks this
 * first: a publish the ACL refuses never reaches the WAL, the history or the live view. Called on the broker's
 * extension threads for every publish: must not block, should not allocate.
 */
@FunctionalInterface
public interface PublishPermission {

    /** Everyone may publish everywhere (access control off). */
    PublishPermission ANYONE = topic -> true;

    /** The synthetic probe: its one topic ({@code TopicBuilder.probe()}) and nothing else. */
    static PublishPermission probe() {
        final String only = TopicBuilder.probe();
        return new PublishPermission() {
            @Override
            public boolean mayPublish(final String topic) {
                return only.equals(topic);
            }

            @Override
            public boolean isProbe() {
                return true;
            }
        };
    }

    /** True if the client may publish to {@code topic}. */
    boolean mayPublish(String topic);

    /**
     * True if the client may publish to {@code topic} and leave a retained message there or clear the one there (an
     * empty retained publish): asked instead of {@link #mayPublish} for a retained publish. A foreign topic another
     * tenant owns, or one whose tenant each payload decides, takes no retained message from a tenant member.
     */
    default boolean mayRetain(final String topic) {
        return mayPublish(topic);
    }

    /**
     * Whether the client is cellwatch's own synthetic probe: it alone writes into the internal tenant
     * ({@code TopicResolver.INTERNAL_TENANT}), and what it writes is stored but never delivered to MQTT subscribers.
     */
    default boolean isProbe() {
        return false;
    }
}
