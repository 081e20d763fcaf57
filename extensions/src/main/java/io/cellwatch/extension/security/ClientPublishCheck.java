package io.cellwatch.extension.security;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.extension.ingest.PublishPermission;
import io.cellwatch.mapping.ForeignOwnership;
import io.cellwatch.mapping.MappingRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The publish check of one connected client, asked by its telemetry interceptor for every publish: the user is
 * bound once, at client initialisation; the policy and the mapping rules are the ones in force at each publish, so
 * an edit of the ACL file or of the mapping rules applies to the next message. The ACL, then
 * {@link ForeignOwnership} (a foreign topic a mapping rule or Sparkplug group gives another tenant is refused): a map
 * lookup and a rule walk, nothing that blocks. Never throws: a failure denies. Thread-safe.
 */
final class ClientPublishCheck implements PublishPermission {

    private static final Logger log = LoggerFactory.getLogger(ClientPublishCheck.class);

    private final AccessControl access;
    private final Supplier<MappingRules> rules;
    private final String user;
    private final String clientId;
    private final CounterDataPoint denied;

    /**
     * @param user the authenticated user, or {@code null} for a client let in without credentials
     */
    ClientPublishCheck(final AccessControl access, final Supplier<MappingRules> rules, final String user,
                       final String clientId, final CounterDataPoint denied) {
        this.access = access;
        this.rules = rules;
        this.user = user;
        this.clientId = clientId;
        this.denied = denied;
    }

    @Override
    public boolean mayPublish(final String topic) {
        return decide(topic, false);
    }

    @Override
    public boolean mayRetain(final String topic) {
        return decide(topic, true);
    }

    /**
     * Whether {@code principal} on {@code clientId} may publish to {@code topic} under {@code policy} and the
     * ownership of foreign topics; {@code retain}: the publish is retained or clears a retained message. The one
     * check for publishes and wills.
     */
    static boolean allows(final AccessPolicy policy, final ForeignOwnership ownership, final Principal principal,
                          final String clientId, final String topic, final boolean retain) {
        return policy.mayPublish(principal, clientId, topic) && ownership.mayPublish(principal, topic, retain);
    }

    private boolean decide(final String topic, final boolean retain) {
        boolean allowed = false;
        try {
            final AccessPolicy policy = access.current();
            final Optional<Principal> principal = access.principal(policy, user);
            allowed = principal.isPresent()
                    && allows(policy, rules.get().ownership(), principal.get(), clientId, topic, retain);
        } catch (final RuntimeException e) {
            log.error("publish authorization of client '{}' failed; denied", clientId, e);
        }
        if (!allowed) {
            denied.inc();
        }
        return allowed;
    }
}
