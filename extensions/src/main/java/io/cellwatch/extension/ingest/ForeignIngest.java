package io.cellwatch.extension.ingest;

import io.cellwatch.contract.Rejection;

import java.nio.ByteBuffer;

/**
 * Brings publishes outside {@code tenants/} into the tree: mapping rules and Sparkplug B. Called on the publish
 * path (a broker thread) after the publisher's right to the original topic was checked; the publisher must also
 * have the right to publish into the tenant the publish maps to. Implementations are thread-safe and never block.
 */
@FunctionalInterface
public interface ForeignIngest {

    /** No foreign topic is mapped: every one stays plain MQTT. */
    ForeignIngest NONE = (gateway, permission, topic, payload) -> Outcome.PLAIN;

    /** What became of a foreign publish (or, from the {@code authorize} methods, what would). */
    enum Outcome {
        /** No rule applies: plain MQTT, delivered as is. */
        PLAIN,
        /** Mapped and taken into the tree (or, for Sparkplug B, queued for it); delivered as is. */
        ACCEPTED,
        /** Mapped into a tenant the publisher may not write: refused, nothing taken. */
        NOT_AUTHORIZED
    }

    /**
     * Handles a publish to {@code topic} (not under {@code tenants/}).
     *
     * @param permission the publisher's rights, asked for the mapped topic
     * @throws Rejection if a rule applies but the payload does not fit it; nothing was taken then
     */
    Outcome ingest(GatewayKey gateway, PublishPermission permission, String topic, ByteBuffer payload)
            throws Rejection;

    /**
     * Decides a publish of {@code payload} to {@code topic} as {@link #ingest} would, taking nothing: how a will is
     * checked at CONNECT. {@link Outcome#ACCEPTED} means it would be taken.
     *
     * @throws Rejection if a rule applies but the payload does not fit it
     */
    default Outcome authorize(final PublishPermission permission, final String topic, final ByteBuffer payload)
            throws Rejection {
        return Outcome.PLAIN;
    }

    /**
     * Decides an empty retained publish to {@code topic} (clearing its retained message) by the same rights as a
     * publish with payload: the tenant and node a rule maps the topic to, as far as the topic tells them.
     *
     * @throws Rejection if a rule applies but the topic gives no valid id
     */
    default Outcome authorizeClear(final PublishPermission permission, final String topic) throws Rejection {
        return Outcome.PLAIN;
    }
}
