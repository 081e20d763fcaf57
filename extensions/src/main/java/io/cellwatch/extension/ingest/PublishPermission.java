package io.cellwatch.extension.ingest;

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

    /** True if the client may publish to {@code topic}. */
    boolean mayPublish(String topic);
}
