package io.cellwatch.extension.security;

import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.policy.Role;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.ingest.ForeignIngest;
import io.cellwatch.extension.ingest.PublishPermission;
import io.cellwatch.extension.quota.RetainedLedger;
import io.cellwatch.extension.quota.TenantQuota;
import io.cellwatch.extension.quota.TenantQuotas;
import io.cellwatch.mapping.ForeignOwnership;
import io.cellwatch.mapping.MappingRules;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Decides the will of a CONNECT as the publish it will become: HiveMQ sends a will without passing it through the
 * publish interceptors, so this is the only check it gets. The broker's own status and alert topics are refused;
 * then the ACL and {@link ForeignOwnership} (retained wills as retained publishes), then, for a foreign topic, the
 * mapped tenant's node for the will's payload ({@link ForeignIngest#authorize}; an empty retained will as a clear),
 * then the quotas: the payload size limit of the publisher's tenant, and a retained will is charged to its holder's
 * retained quotas at CONNECT, as if it were already retained (the broker publishes it later, past every interceptor,
 * so this is the only moment to count it; a will that never fires stays counted until its topic is replaced or
 * cleared, counting too much, never too little). Until the foreign topics are bound (extension start-up), wills
 * outside {@code tenants/} are refused to all but global admins. In-memory work; thread-safe.
 */
final class WillCheck {

    /** What became of a will. */
    enum Verdict {
        ALLOWED,
        NOT_AUTHORIZED,
        /** The will's topic is mapped but its payload does not fit the rule, as a publish of it would be refused. */
        PAYLOAD_INVALID,
        /** The will's payload is over the payload size limit of the publisher's tenant. */
        OVERSIZE,
        /** A retained will would pass the retained bytes or messages quota of the tenant that would hold it. */
        QUOTA_EXCEEDED
    }

    /** A verdict, and for an allowed retained will its charge against the retained quota (undone if not admitted). */
    record Decision(Verdict verdict, RetainedLedger.Charge retained) {

        static final Decision ALLOWED = new Decision(Verdict.ALLOWED, RetainedLedger.Charge.NONE);

        static Decision refused(final Verdict verdict) {
            return new Decision(verdict, RetainedLedger.Charge.NONE);
        }

        boolean allowed() {
            return verdict == Verdict.ALLOWED;
        }
    }

    private final Supplier<MappingRules> rules;
    private final Supplier<TenantQuotas> quotas;
    private volatile ForeignIngest foreign;

    WillCheck(final Supplier<MappingRules> rules, final Supplier<TenantQuotas> quotas) {
        this.rules = rules;
        this.quotas = quotas;
    }

    /** From now on, wills on foreign topics are checked against what {@code topics} maps them to. */
    void bind(final ForeignIngest topics) {
        this.foreign = topics;
    }

    Decision decide(final AccessPolicy policy, final Principal principal, final String clientId,
                    final WillPublishPacket will) {
        final Verdict verdict = authorize(policy, principal, clientId, will);
        if (verdict != Verdict.ALLOWED) {
            return Decision.refused(verdict);
        }
        final TenantQuotas tenantQuotas = quotas.get();
        final String topic = will.getTopic();
        final int size = will.getPayload().map(ByteBuffer::remaining).orElse(0);
        final TenantQuota publisher = tenantQuotas.of(principal.tenant().orElse(""));
        try {
            publisher.checkPayload(size);
        } catch (final Rejection rejection) {
            return Decision.refused(Verdict.OVERSIZE);
        }
        if (!will.getRetain() || size == 0) {
            return Decision.ALLOWED;
        }
        try {
            return new Decision(Verdict.ALLOWED, tenantQuotas.retained().charge(
                    tenantQuotas.retainedHolder(topic, publisher), topic, RetainedLedger.sizeOf(topic, size)));
        } catch (final Rejection rejection) {
            return Decision.refused(Verdict.QUOTA_EXCEEDED);
        }
    }

    private Verdict authorize(final AccessPolicy policy, final Principal principal, final String clientId,
                              final WillPublishPacket will) {
        final String topic = will.getTopic();
        final ByteBuffer payload = will.getPayload().orElse(null);
        final boolean empty = payload == null || !payload.hasRemaining();
        final ForeignOwnership ownership = rules.get().ownership();
        if (TopicResolver.isBrokerOwned(topic)
                || !ClientPublishCheck.allows(policy, ownership, principal, clientId, topic, will.getRetain())) {
            return Verdict.NOT_AUTHORIZED;
        }
        if (topic.startsWith(TopicResolver.ROOT + "/")) {
            return Verdict.ALLOWED;
        }
        final ForeignIngest topics = foreign;
        if (topics == null) {
            return principal.role() == Role.ADMIN ? Verdict.ALLOWED : Verdict.NOT_AUTHORIZED;
        }
        final PublishPermission permission = node -> ClientPublishCheck.allows(policy, ownership, principal, clientId,
                node, false);
        try {
            final ForeignIngest.Outcome outcome = empty && will.getRetain()
                    ? topics.authorizeClear(permission, topic) : topics.authorize(permission, topic, payload);
            return outcome == ForeignIngest.Outcome.NOT_AUTHORIZED ? Verdict.NOT_AUTHORIZED : Verdict.ALLOWED;
        } catch (final Rejection rejection) {
            return Verdict.PAYLOAD_INVALID;
        }
    }
}
