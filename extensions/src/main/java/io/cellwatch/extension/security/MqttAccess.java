package io.cellwatch.extension.security;

import com.codahale.metrics.MetricRegistry;
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
 * MQTT side of access control: registers the password authenticator and the topic authorizers with the broker, and
 * disconnects the clients of users whose rights a reload changed. Close stops the hash-checking threads.
 */
public final class MqttAccess implements AutoCloseable {

    /** Connection attribute holding the authenticated user name. */
    static final String USER_ATTRIBUTE = "cellwatch.user";

    private static final Logger log = LoggerFactory.getLogger(MqttAccess.class);

    private final ExecutorService verifier;
    private final TopicAuthorizer authorizer;

    private MqttAccess(final ExecutorService verifier, final TopicAuthorizer authorizer) {
        this.verifier = verifier;
        this.authorizer = authorizer;
    }

    /** The publish check the telemetry interceptor asks first (HiveMQ runs interceptors before authorizers). */
    public PublishPermission publishPermission() {
        return authorizer;
    }

    /** Registers authentication and authorization for every MQTT client with the running broker. */
    public static MqttAccess register(final AccessControl access, final MetricRegistry metrics) {
        final ExecutorService verifier = verifierPool();
        final ConnectedClients clients = new ConnectedClients();
        final PasswordAuthenticator authenticator = new PasswordAuthenticator(access, clients, verifier,
                metrics.counter("cellwatch.mqtt.auth.failed"));
        final TopicAuthorizer authorizer = new TopicAuthorizer(access,
                metrics.counter("cellwatch.mqtt.acl.denied.publish"),
                metrics.counter("cellwatch.mqtt.acl.denied.subscribe"));
        Services.eventRegistry().setClientLifecycleEventListener(input -> clients);
        Services.securityRegistry().setAuthenticatorProvider(input -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(input -> authorizer);
        access.onRevoked(users -> disconnect(clients, users));
        return new MqttAccess(verifier, authorizer);
    }

    private static void disconnect(final ConnectedClients clients, final Set<String> users) {
        final List<String> affected = clients.clientsOf(users);
        for (final String clientId : affected) {
            Services.clientService().disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED,
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
