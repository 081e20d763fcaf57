package io.cellwatch.extension.security;

import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.policy.Role;
import io.cellwatch.contract.Rejection;
import io.cellwatch.extension.quota.TenantQuotas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decides whether a logged-in user may open a connection under a client id: the id must lie in the user's namespace
 * ({@link AccessPolicy#mayUseClientId}), and no other user entitled to it may own it. The first user to connect under an id owns it until its
 * session ends (a clean session's disconnect, or the broker no longer holding the session); while another user owns
 * it — online, offline with a stored session, or just claimed — the connection is refused, so nobody can resume,
 * take over or kick another user's session. The owner itself reconnects and takes over its own stale connection as
 * usual. Asynchronous: answers a future and never blocks. Thread-safe.
 */
final class ClientIdGuard {

    /** Why a client id was refused; each reason has its own counter. */
    enum Refusal {
        /** The id does not match the {@code clientid} lines of the user's role. */
        PATTERN,
        /** Another user owns the id. */
        OWNED,
        /** The user already holds as many client ids as its tenant's {@code sessions-per-user} quota allows. */
        SESSIONS;

        String metricName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The answer for one CONNECT: admitted under connection number {@code connection}, or refused. */
    record Decision(Refusal refusal, long connection) {

        boolean admitted() {
            return refusal == null;
        }
    }

    /** A claim younger than this counts as live even if the broker has no session yet (CONNACK still on its way). */
    static final Duration CLAIM_GRACE = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ClientIdGuard.class);

    private final ClientIdOwners owners;
    private final BrokerSessions sessions;
    private final Clock clock;
    private final Supplier<TenantQuotas> quotas;
    private final AtomicLong connections = new AtomicLong();

    ClientIdGuard(final ClientIdOwners owners, final BrokerSessions sessions, final Clock clock,
                  final Supplier<TenantQuotas> quotas) {
        this.owners = owners;
        this.sessions = sessions;
        this.clock = clock;
        this.quotas = quotas;
    }

    /**
     * Decides the CONNECT of {@code principal} (logged in, or anonymous) under {@code clientId}. An id outside the
     * principal's namespace ({@link AccessPolicy#mayUseClientId}) is refused, except for a global admin under
     * {@code admin-takeover allow}. An owner no longer entitled to its id (a squat recorded before the namespace
     * rule, an admin's takeover) gives way to a user who is: its session is ended and the id changes hands.
     */
    CompletableFuture<Decision> admit(final AccessPolicy policy, final Principal principal, final String clientId) {
        final boolean entitled = policy.mayUseClientId(principal, clientId);
        final boolean takeover = principal.role() == Role.ADMIN && policy.adminTakeover();
        if (!entitled && !takeover) {
            return CompletableFuture.completedFuture(new Decision(Refusal.PATTERN, 0));
        }
        final String user = principal.user();
        final long connection = connections.incrementAndGet();
        final ClientIdOwners.Owner owner = owners.owner(clientId).orElse(null);
        if ((owner == null || !owner.user().equals(user)) && !mayHoldAnother(principal)) {
            return CompletableFuture.completedFuture(new Decision(Refusal.SESSIONS, 0));
        }
        if (owner == null) {
            // A session nobody owns (made before owners were recorded) is ended first: it may hold another's data.
            return sessions.exists(clientId)
                    .thenCompose(exists -> exists ? sessions.invalidate(clientId) : CompletableFuture.completedFuture(null))
                    .thenApply(ended -> claim(clientId, user, connection, current -> false));
        }
        if (owner.user().equals(user)) {
            return CompletableFuture.completedFuture(claim(clientId, user, connection, current -> false));
        }
        if (takeover) {
            log.warn("global admin '{}' takes over client id '{}' of user '{}' (admin-takeover allow)", user, clientId,
                    owner.user());
            return CompletableFuture.completedFuture(claim(clientId, user, connection, current -> true));
        }
        if (!ownerEntitled(policy, owner, clientId)) {
            log.warn("client id '{}' goes back to user '{}': its owner '{}' may not use it (squatted or taken over);"
                    + " the owner's session is ended", clientId, user, owner.user());
            return sessions.invalidate(clientId).thenApply(ended -> claim(clientId, user, connection, owner::equals));
        }
        if (fresh(owner)) {
            return CompletableFuture.completedFuture(new Decision(Refusal.OWNED, 0));
        }
        // The owner's session may have ended without a word to us (expiry, a DISCONNECT that shortened it).
        return sessions.exists(clientId).thenApply(exists -> exists ? new Decision(Refusal.OWNED, 0)
                : claim(clientId, user, connection, owner::equals));
    }

    /** Whether {@code principal} may hold one client id more under its tenant's {@code sessions-per-user} quota. */
    private boolean mayHoldAnother(final Principal principal) {
        try {
            quotas.get().of(principal.tenant().orElse("")).checkSessions(owners.heldBy(principal.user()));
            return true;
        } catch (final Rejection rejection) {
            return false;
        }
    }

    /** Whether the recorded owner could claim the id itself today ({@code ""} is an anonymous client). */
    private static boolean ownerEntitled(final AccessPolicy policy, final ClientIdOwners.Owner owner,
                                         final String clientId) {
        final Optional<Principal> principal = owner.user().isEmpty() ? Optional.of(Principal.anonymous())
                : policy.principal(owner.user());
        return principal.map(p -> policy.mayUseClientId(p, clientId)).orElse(false);
    }

    /** A connection admitted under {@code connection} closed; a session that ends with it frees the id. */
    void disconnected(final String clientId, final String user, final long connection, final boolean sessionEnds) {
        if (sessionEnds) {
            owners.releaseConnection(clientId, user, connection);
        }
    }

    /**
     * Frees the ids of users who can no longer log in under {@code policy}, after ending their sessions (queued
     * messages and subscriptions were made under rights that are gone).
     */
    void usersChanged(final AccessPolicy policy, final Set<String> users) {
        for (final Map.Entry<String, ClientIdOwners.Owner> entry : owners.snapshot().entrySet()) {
            final String user = entry.getValue().user();
            if (users.contains(user) && !policy.canLogIn(user)) {
                sessions.invalidate(entry.getKey()).whenComplete((done, failure) -> {
                    if (failure == null) {
                        owners.release(entry.getKey(), entry.getValue());
                        log.info("client id '{}' freed: its owner '{}' was removed", entry.getKey(), user);
                    } else {
                        log.warn("could not end the session of client id '{}' of removed user '{}'", entry.getKey(),
                                user, failure);
                    }
                });
            }
        }
    }

    /** Frees the ids whose sessions the broker no longer holds (expired and cleaned up); run now and then. */
    void sweep() {
        for (final Map.Entry<String, ClientIdOwners.Owner> entry : owners.snapshot().entrySet()) {
            if (!fresh(entry.getValue())) {
                sessions.exists(entry.getKey()).thenAccept(exists -> {
                    if (!exists) {
                        owners.release(entry.getKey(), entry.getValue());
                    }
                });
            }
        }
    }

    private boolean fresh(final ClientIdOwners.Owner owner) {
        return clock.millis() - owner.claimedAt() < CLAIM_GRACE.toMillis();
    }

    private Decision claim(final String clientId, final String user, final long connection,
                           final java.util.function.Predicate<ClientIdOwners.Owner> replaceable) {
        final ClientIdOwners.Owner now = owners.claim(clientId, user, connection, replaceable);
        return now.user().equals(user) && now.connection() == connection ? new Decision(null, connection)
                : new Decision(Refusal.OWNED, 0);
    }
}
