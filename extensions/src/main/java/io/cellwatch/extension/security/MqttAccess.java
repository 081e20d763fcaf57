package io.cellwatch.extension.security;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import io.cellwatch.extension.ingest.PublishPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MQTT side of access control: registers the password authenticator (which also decides the will) with the broker,
 * binds each client's publish check and subscription guard, and disconnects the clients of users whose rights a
 * reload changed. No HiveMQ authorizer is registered: it would add an asynchronous round to every PUBLISH
 * (docs/decisions.md). Close stops the hash-checking threads.
 */
public final class MqttAccess implements AutoCloseable {

    /** Connection attribute holding the authenticated user name. */
    static final String USER_ATTRIBUTE = "cellwatch.user";

    private static final Logger log = LoggerFactory.getLogger(MqttAccess.class);

    private final ExecutorService verifier;
    private final AccessControl access;
    private final Counter deniedPublishes;
    private final Counter deniedSubscriptions;

    private MqttAccess(final ExecutorService verifier, final AccessControl access, final Counter deniedPublishes,
                       final Counter deniedSubscriptions) {
        this.verifier = verifier;
        this.access = access;
        this.deniedPublishes = deniedPublishes;
        this.deniedSubscriptions = deniedSubscriptions;
    }

    /**
     * The publish check of one client, for its telemetry interceptor; called when the client is initialised, after
     * it authenticated.
     */
    public PublishPermission publishPermission(final ConnectionInformation connection, final String clientId) {
        return new ClientPublishCheck(access, userOf(connection), clientId, deniedPublishes);
    }

    /**
     * Adds the subscription guard of one client to its context; called when the client is initialised, after it
     * authenticated.
     */
    public void guardSubscriptions(final ConnectionInformation connection, final String clientId,
                                   final ClientContext context) {
        context.addSubscribeInboundInterceptor(new SubscriptionGuard(access, userOf(connection), clientId,
                deniedSubscriptions));
    }

    private static String userOf(final ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(USER_ATTRIBUTE).orElse(null);
    }

    /** Registers authentication and authorization for every MQTT client with the running broker. */
    public static MqttAccess register(final AccessControl access, final MetricRegistry metrics) {
        final ExecutorService verifier = verifierPool();
        final ConnectedClients clients = new ConnectedClients();
        final Counter deniedPublishes = metrics.counter("cellwatch.mqtt.acl.denied.publish");
        final PasswordAuthenticator authenticator = new PasswordAuthenticator(access, clients, verifier,
                metrics.counter("cellwatch.mqtt.auth.failed"), deniedPublishes);
        Services.eventRegistry().setClientLifecycleEventListener(input -> clients);
        Services.securityRegistry().setAuthenticatorProvider(input -> authenticator);
        access.onRevoked(users -> disconnect(clients, users));
        return new MqttAccess(verifier, access, deniedPublishes,
                metrics.counter("cellwatch.mqtt.acl.denied.subscribe"));
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
        verifier.shutdownNow();
    }
}
