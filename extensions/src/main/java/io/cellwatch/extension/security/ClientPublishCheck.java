package io.cellwatch.extension.security;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.extension.ingest.PublishPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The publish check of one connected client, asked by its telemetry interceptor for every publish: the user is
 * bound once, at client initialisation; the policy is the one in force at each publish, so an edit of the ACL file
 * applies to the next message. A map lookup and a rule walk, nothing that blocks. Never throws: a failure denies.
 * Thread-safe.
 */
final class ClientPublishCheck implements PublishPermission {

    private static final Logger log = LoggerFactory.getLogger(ClientPublishCheck.class);

    private final AccessControl access;
    private final String user;
    private final String clientId;
    private final CounterDataPoint denied;

    /**
     * @param user the authenticated user, or {@code null} for a client let in without credentials
     */
    ClientPublishCheck(final AccessControl access, final String user, final String clientId, final CounterDataPoint denied) {
        this.access = access;
        this.user = user;
        this.clientId = clientId;
        this.denied = denied;
    }

    @Override
    public boolean mayPublish(final String topic) {
        boolean allowed = false;
        try {
            allowed = allows(access, user, clientId, topic);
        } catch (final RuntimeException e) {
            log.error("publish authorization of client '{}' failed; denied", clientId, e);
        }
        if (!allowed) {
            denied.inc();
        }
        return allowed;
    }

    /** Whether {@code user} ({@code null}: anonymous) on {@code clientId} may publish to {@code topic} now. */
    private static boolean allows(final AccessControl access, final String user, final String clientId, final String topic) {
        final AccessPolicy policy = access.current();
        final Optional<Principal> principal = access.principal(policy, user);
        return principal.isPresent() && policy.mayPublish(principal.get(), clientId, topic);
    }
}
