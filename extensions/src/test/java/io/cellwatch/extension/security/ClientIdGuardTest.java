package io.cellwatch.extension.security;

import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.password.PasswordHash;
import io.cellwatch.extension.ManualClock;
import io.cellwatch.extension.quota.QuotaMetrics;
import io.cellwatch.extension.quota.TenantLimits;
import io.cellwatch.extension.quota.TenantQuotas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ownership rules of {@link ClientIdGuard}, against a real owner journal and a stand-in for the broker's
 * session store (the integration tests use HiveMQ's).
 */
class ClientIdGuardTest {

    @TempDir
    Path dir;

    private final Set<String> brokerSessions = new HashSet<>();
    private final Set<String> invalidated = new HashSet<>();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
    private ClientIdOwners owners;
    private ClientIdGuard guard;
    /** Two client ids per user. */
    private final TenantQuotas quotas = new TenantQuotas(new TenantLimits(10, 10, 10, 10_000, 1_000, 10, 10, 2),
            Clock.systemUTC(), QuotaMetrics.NONE);
    private AccessPolicy policy;

    @BeforeEach
    void setUp() throws Exception {
        owners = ClientIdOwners.open(dir.resolve("owners.jsonl"), clock);
        guard = new ClientIdGuard(owners, new BrokerSessions() {
            @Override
            public CompletableFuture<Boolean> exists(final String clientId) {
                return CompletableFuture.completedFuture(brokerSessions.contains(clientId));
            }

            @Override
            public CompletableFuture<Void> invalidate(final String clientId) {
                invalidated.add(clientId);
                brokerSessions.remove(clientId);
                return CompletableFuture.completedFuture(null);
            }
        }, clock, () -> quotas);
        // Operators widened to any id, so that two users can compete for one.
        policy = policy("admin root\nclientid gateways %u\nclientid operators *\ntenant acme\ngateways gw-*\n"
                + "operators alice\ntenant beta\noperators bob\n");
    }

    @AfterEach
    void tearDown() {
        owners.close();
    }

    private AccessPolicy policy(final String acl) throws Exception {
        final StringBuilder passwd = new StringBuilder();
        for (final String user : new String[] {"root", "gw-1", "alice", "bob"}) {
            passwd.append(user).append(':').append(PasswordHash.pbkdf2Sha512("pw".toCharArray())).append('\n');
        }
        Files.writeString(dir.resolve("passwd"), passwd);
        Files.writeString(dir.resolve("acl"), acl);
        return AccessPolicy.load(dir.resolve("passwd"), dir.resolve("acl"));
    }

    private ClientIdGuard.Decision admit(final String user, final String clientId) {
        final Principal principal = policy.principal(user).orElseThrow();
        final ClientIdGuard.Decision decision = guard.admit(policy, principal, clientId).join();
        if (decision.admitted()) {
            brokerSessions.add(clientId);
        }
        return decision;
    }

    private void later() {
        clock.advance(ClientIdGuard.CLAIM_GRACE.plusSeconds(1));
    }

    @Test
    void aUserHoldingItsSessionsQuotaIsRefusedANewIdButKeepsItsOwn() {
        assertThat(admit("alice", "dash-1").admitted()).isTrue();
        assertThat(admit("alice", "dash-2").admitted()).isTrue();

        assertThat(admit("alice", "dash-3").refusal()).isEqualTo(ClientIdGuard.Refusal.SESSIONS);
        assertThat(admit("alice", "dash-1").admitted()).as("an id it holds").isTrue();
        assertThat(admit("bob", "dash-3").admitted()).as("another user").isTrue();
    }

    @Test
    void anIdFreedByItsSessionEndingMakesRoomForANewOne() {
        final ClientIdGuard.Decision first = admit("alice", "dash-1");
        admit("alice", "dash-2");

        guard.disconnected("dash-1", "alice", first.connection(), true);

        assertThat(admit("alice", "dash-3").admitted()).isTrue();
    }

    @Test
    void theFirstUserOwnsTheIdAndMayComeBack() {
        assertThat(admit("alice", "dash").admitted()).isTrue();
        later();

        assertThat(admit("alice", "dash").admitted()).isTrue();
    }

    @Test
    void anotherUserIsRefusedWhileTheSessionExists() {
        admit("alice", "dash");
        later();

        assertThat(admit("bob", "dash").refusal()).isEqualTo(ClientIdGuard.Refusal.OWNED);
        assertThat(admit("root", "dash").refusal()).isEqualTo(ClientIdGuard.Refusal.OWNED);
    }

    @Test
    void aFreshClaimIsLiveEvenBeforeTheBrokerHasTheSession() {
        guard.admit(policy, policy.principal("alice").orElseThrow(), "dash").join();

        assertThat(admit("bob", "dash").refusal()).isEqualTo(ClientIdGuard.Refusal.OWNED);
    }

    @Test
    void anIdWhoseSessionTheBrokerNoLongerHoldsPassesToTheNextUser() {
        admit("alice", "dash");
        later();
        brokerSessions.remove("dash");

        assertThat(admit("bob", "dash").admitted()).isTrue();
        assertThat(owners.owner("dash").orElseThrow().user()).isEqualTo("bob");
    }

    @Test
    void aCleanSessionFreesTheIdWhenItsConnectionCloses() {
        final long connection = admit("alice", "dash").connection();

        guard.disconnected("dash", "alice", connection, true);

        assertThat(owners.owner("dash")).isEmpty();
    }

    @Test
    void aStaleConnectionClosingAfterTheOwnersTakeoverFreesNothing() {
        final long stale = admit("alice", "dash").connection();
        admit("alice", "dash");

        guard.disconnected("dash", "alice", stale, true);

        assertThat(owners.owner("dash")).isPresent();
    }

    @Test
    void aSessionWithoutOwnerIsEndedBeforeItsIdIsClaimed() {
        brokerSessions.add("legacy");

        assertThat(admit("bob", "legacy").admitted()).isTrue();
        assertThat(invalidated).containsExactly("legacy");
    }

    @Test
    void aGatewayMustUseAClientIdItsRuleAllows() {
        assertThat(admit("gw-1", "gw-1").admitted()).isTrue();
        assertThat(admit("gw-1", "other").refusal()).isEqualTo(ClientIdGuard.Refusal.PATTERN);
    }

    @Test
    void adminTakeoverAllowLetsAGlobalAdminIn() throws Exception {
        admit("alice", "dash");
        later();
        policy = policy("admin-takeover allow\nadmin root\nclientid operators *\ntenant acme\noperators alice\n"
                + "tenant beta\noperators bob\n");

        assertThat(admit("root", "dash").admitted()).isTrue();
        assertThat(admit("bob", "dash").refusal()).isEqualTo(ClientIdGuard.Refusal.OWNED);
    }

    @Test
    void aGatewaysOwnIdIsRefusedToEveryoneElse() {
        assertThat(admit("bob", "gw-1").refusal()).isEqualTo(ClientIdGuard.Refusal.PATTERN);
        assertThat(admit("root", "gw-1").refusal()).isEqualTo(ClientIdGuard.Refusal.PATTERN);
        assertThat(admit("gw-1", "gw-1").admitted()).isTrue();
    }

    @Test
    void theRightfulUserWinsOverAnOwnerRecordASquatLeftBehind() {
        owners.claim("gw-1", "bob", 0, current -> false);
        brokerSessions.add("gw-1");

        assertThat(admit("gw-1", "gw-1").admitted()).isTrue();
        assertThat(invalidated).containsExactly("gw-1");
        assertThat(owners.owner("gw-1")).hasValueSatisfying(owner -> assertThat(owner.user()).isEqualTo("gw-1"));
    }

    @Test
    void anAdminTakeoverOfAGatewaysIdGivesWayWhenTheGatewayComesBack() throws Exception {
        policy = policy("admin-takeover allow\nadmin root\ntenant acme\ngateways gw-*\n");
        assertThat(admit("root", "gw-1").admitted()).isTrue();

        assertThat(admit("gw-1", "gw-1").admitted()).as("even while the admin's claim is fresh").isTrue();
        assertThat(invalidated).containsExactly("gw-1");
    }

    @Test
    void aRemovedUsersIdsAreFreedAfterTheirSessionsEnd() throws Exception {
        admit("alice", "dash");
        later();
        policy = policy("admin root\ntenant beta\noperators bob\n");

        guard.usersChanged(policy, Set.of("alice"));

        assertThat(invalidated).containsExactly("dash");
        assertThat(owners.owner("dash")).isEmpty();
    }
}
