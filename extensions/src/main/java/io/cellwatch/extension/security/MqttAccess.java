package io.cellwatch.extension.security;

import io.cellwatch.extension.metrics.Metrics;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.policy.Role;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import io.cellwatch.extension.events.ClientLifecycleListeners;
import io.cellwatch.extension.ingest.ForeignIngest;
import io.cellwatch.extension.quota.TenantQuotas;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.PublishPermission;
import io.cellwatch.mapping.MappingRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * MQTT side of access control: registers the password authenticator (which also decides the will and the client
 * id) with the broker, binds each client's publish check and subscription guard, disconnects the clients of users
 * whose rights a reload changed and frees the client ids of removed users. No HiveMQ authorizer is registered: it
 * would add an asynchronous round to every PUBLISH (docs/decisions.md). Close stops the hash-checking threads and
 * the client id journal.
 */
public final class MqttAccess implements AutoCloseable {

    /** Connection attribute holding the authenticated user name. */
    static final String USER_ATTRIBUTE = "cellwatch.user";

    /** File under the data folder that records who owns each client id. */
    public static final String OWNERS_FILE = "client-owners.jsonl";

    private static final Logger log = LoggerFactory.getLogger(MqttAccess.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(5);

    private final ExecutorService verifier;
    private final AccessControl access;
    private final Supplier<MappingRules> rules;
    private final WillCheck wills;
    private final ClientIdOwners owners;
    private final MqttAccessMetrics metrics;
    private final ScheduledFuture<?> sweep;
    private final AtomicReference<TenantQuotas> quotas;

    private MqttAccess(final ExecutorService verifier, final AccessControl access, final Supplier<MappingRules> rules,
                       final WillCheck wills, final ClientIdOwners owners, final MqttAccessMetrics metrics,
                       final ScheduledFuture<?> sweep, final AtomicReference<TenantQuotas> quotas) {
        this.quotas = quotas;
        this.verifier = verifier;
        this.access = access;
        this.rules = rules;
        this.wills = wills;
        this.owners = owners;
        this.metrics = metrics;
        this.sweep = sweep;
    }

    /**
     * The publish check of one client, for its telemetry interceptor; called when the client is initialised, after
     * it authenticated.
     */
    public PublishPermission publishPermission(final ConnectionInformation connection, final String clientId) {
        if (isProbe(connection)) {
            return PublishPermission.probe();
        }
        return new ClientPublishCheck(access, rules, userOf(connection), clientId, metrics.publishDenied());
    }

    /**
     * Adds the subscription guard of one client to its context; called when the client is initialised, after it
     * authenticated.
     */
    public void guardSubscriptions(final ConnectionInformation connection, final String clientId,
                                   final ClientContext context) {
        final String user = userOf(connection);
        final SubscriptionGuard guard = new SubscriptionGuard(access, rules, user, clientId,
                metrics.subscribeDenied(), quotas.get().of(tenantOf(user)), Services.subscriptionStore());
        context.addSubscribeInboundInterceptor(guard);
        context.addUnsubscribeInboundInterceptor(guard);
    }

    /**
     * Checks wills on foreign topics against the tenant node {@code foreign} maps them to, as their publish would be
     * (until called, such wills are refused to all but global admins).
     */
    public void checkWillsAgainst(final ForeignIngest foreign) {
        wills.bind(foreign);
    }

    /**
     * Holds clients to {@code tenantQuotas} from now on: will size and retained wills, client ids per user and
     * subscriptions per client (until called, nothing is limited: the extension is still starting).
     */
    public void enforce(final TenantQuotas tenantQuotas) {
        quotas.set(tenantQuotas);
    }

    /** Who an initialised client publishes as, for the retry guard: its tenant, user and client id. */
    public GatewayKey gatewayKey(final ConnectionInformation connection, final String clientId) {
        final String user = userOf(connection);
        if (user == null) {
            return GatewayKey.anonymous(clientId);
        }
        if (isProbe(connection)) {
            return ProbeLogin.gateway();
        }
        final String tenant = access.current().principal(user).flatMap(Principal::tenant).orElse("");
        return new GatewayKey(tenant, user, clientId);
    }

    /** Whether an initialised client logged in as a gateway (the clients whose online state is tracked). */
    public boolean isGateway(final ConnectionInformation connection) {
        final String user = userOf(connection);
        return user != null && access.current().principal(user).map(p -> p.role() == Role.GATEWAY).orElse(false);
    }

    /** Whether an initialised client is cellwatch's synthetic probe (only its login sets its user name). */
    public static boolean isProbe(final ConnectionInformation connection) {
        return ProbeLogin.USER.equals(userOf(connection));
    }

    /** The tenant of {@code user} under the policy in force; {@code ""} for global users and anonymous clients. */
    private String tenantOf(final String user) {
        return user == null ? "" : access.current().principal(user).flatMap(Principal::tenant).orElse("");
    }

    private static String userOf(final ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(USER_ATTRIBUTE).orElse(null);
    }

    /**
     * Registers authentication and authorization for every MQTT client with the running broker.
     *
     * @param dataDir where the client id owners are recorded ({@value #OWNERS_FILE})
     * @param alsoTold another client lifecycle listener: HiveMQ takes one provider per extension, so it is told
     *                 every event along with access control's own
     * @param probe    the synthetic probe's login, let in apart from the password and ACL files
     * @param rules    the mapping rules in force, asked at every publish, subscribe and will: they say which
     *                 foreign topics belong to which tenant
     */
    public static MqttAccess register(final AccessControl access, final Metrics registry, final Path dataDir,
                                      final ClientLifecycleEventListener alsoTold, final ProbeLogin probe,
                                      final Supplier<MappingRules> rules)
            throws IOException {
        final ClientIdOwners owners = ClientIdOwners.open(dataDir.resolve(OWNERS_FILE), Clock.systemUTC());
        final AtomicReference<TenantQuotas> quotas = new AtomicReference<>(TenantQuotas.unlimited());
        final ClientIdGuard guard = new ClientIdGuard(owners, BrokerSessions.hivemq(), Clock.systemUTC(), quotas::get);
        final ExecutorService verifier = verifierPool();
        final ConnectedClients clients = new ConnectedClients(guard);
        final MqttAccessMetrics metrics = new MqttAccessMetrics(registry);
        // Tenants come from the ACL file, so the label is bounded by configuration; "" is global users.
        registry.gauge("cellwatch_mqtt_clients_connected", "MQTT clients connected, by the tenant of their user"
                + " (\"\" for global users)", "tenant", () -> clients.perTenant(access.current()));
        final WillCheck wills = new WillCheck(rules, quotas::get);
        final PasswordAuthenticator authenticator = new PasswordAuthenticator(access, wills, guard, clients, verifier,
                Services.extensionExecutorService(), metrics, probe);
        final ClientLifecycleListeners lifecycle = new ClientLifecycleListeners(List.of(clients, alsoTold));
        Services.eventRegistry().setClientLifecycleEventListener(input -> lifecycle);
        Services.securityRegistry().setAuthenticatorProvider(input -> authenticator);
        access.onRevoked(users -> {
            disconnect(clients, users);
            guard.usersChanged(access.current(), users);
        });
        final ScheduledFuture<?> sweep = Services.extensionExecutorService().scheduleAtFixedRate(guard::sweep,
                SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return new MqttAccess(verifier, access, rules, wills, owners, metrics, sweep, quotas);
    }

    private static void disconnect(final ConnectedClients clients, final Set<String> users) {
        final List<String> affected = clients.clientsOf(users);
        for (final String clientId : affected) {
            // No will: it was authorized under the rights just taken away.
            Services.clientService().disconnectClient(clientId, true, DisconnectReasonCode.NOT_AUTHORIZED,
                    "access rights changed");
        }
        if (!affected.isEmpty()) {
            log.info("disconnected {} MQTT clients whose rights changed: {}", affected.size(), affected);
        }
    }

    private static ExecutorService verifierPool() {
        final AtomicInteger count = new AtomicInteger();
        // Bounded: a connect storm with wrong passwords queues here, not in memory without end.
        return new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000), runnable -> {
            final Thread thread = new Thread(runnable, "cellwatch-auth-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void close() {
        sweep.cancel(false);
        verifier.shutdownNow();
        owners.close();
    }
}
