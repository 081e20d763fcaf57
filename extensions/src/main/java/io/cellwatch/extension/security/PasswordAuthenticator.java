package io.cellwatch.extension.security;

import com.codahale.metrics.Counter;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Checks the user name and password of every MQTT CONNECT against the password file, and its will topic against
 * the ACL. Hash checks run on a dedicated executor (a slow PBKDF2 must not stall the broker's threads); a success
 * records the user in the connection's attributes, where the publish check and the subscription guard find it.
 * Every branch decides; nothing is delegated.
 */
final class PasswordAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(PasswordAuthenticator.class);
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);

    private final AccessControl access;
    private final ConnectedClients clients;
    private final Executor verifier;
    private final Counter failures;
    private final Counter deniedWills;

    PasswordAuthenticator(final AccessControl access, final ConnectedClients clients, final Executor verifier,
                          final Counter failures, final Counter deniedWills) {
        this.access = access;
        this.clients = clients;
        this.verifier = verifier;
        this.failures = failures;
        this.deniedWills = deniedWills;
    }

    @Override
    public void onConnect(final @NotNull SimpleAuthInput input, final @NotNull SimpleAuthOutput output) {
        final ConnectPacket connect = input.getConnectPacket();
        final Optional<String> user = connect.getUserName();
        if (user.isEmpty()) {
            if (access.allowsAnonymous()) {
                if (willAllowed(connect, null)) {
                    succeed(output);
                } else {
                    refuseWill(output, connect.getClientId(), "");
                }
            } else {
                fail(output, connect.getClientId(), "", "this broker needs a user name and password");
            }
            return;
        }
        final char[] password = connect.getPassword().map(PasswordAuthenticator::chars).orElse(new char[0]);
        final Async<SimpleAuthOutput> async = output.async(VERIFY_TIMEOUT, TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_BUSY, "authentication timed out");
        try {
            verifier.execute(() -> {
                try {
                    verify(input, output, user.get(), password);
                } catch (final RuntimeException e) {
                    log.error("authentication of client '{}' failed unexpectedly", connect.getClientId(), e);
                    output.failAuthentication(ConnackReasonCode.UNSPECIFIED_ERROR, "authentication failed");
                } finally {
                    Arrays.fill(password, '\0');
                    async.resume();
                }
            });
        } catch (final RejectedExecutionException e) {
            output.failAuthentication(ConnackReasonCode.SERVER_BUSY, "authentication is shutting down");
            async.resume();
        }
    }

    private void verify(final SimpleAuthInput input, final SimpleAuthOutput output, final String user,
                        final char[] password) {
        final String clientId = input.getConnectPacket().getClientId();
        if (access.current().authenticate(user, password).isEmpty()) {
            fail(output, clientId, user, "bad user name or password");
            return;
        }
        if (!willAllowed(input.getConnectPacket(), user)) {
            refuseWill(output, clientId, user);
            return;
        }
        input.getConnectionInformation().getConnectionAttributeStore()
                .putAsString(MqttAccess.USER_ATTRIBUTE, user);
        clients.authenticated(clientId, user);
        succeed(output);
    }

    /**
     * Lets the client in. Its default permissions make HiveMQ refuse what the subscription guard refused and allow
     * the rest (the interceptors decided already); with a permission added, HiveMQ's default would be deny.
     */
    private static void succeed(final SimpleAuthOutput output) {
        output.getDefaultPermissions().add(SubscriptionGuard.refusedFilterPermission());
        output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
        output.authenticateSuccessfully();
    }

    /** No authorizer is registered, so the will is decided here, by the same rule as a publish. */
    private boolean willAllowed(final ConnectPacket connect, final String user) {
        return connect.getWillPublish()
                .map(will -> ClientPublishCheck.allows(access, user, connect.getClientId(), will.getTopic()))
                .orElse(true);
    }

    private void refuseWill(final SimpleAuthOutput output, final String clientId, final String user) {
        deniedWills.inc();
        log.info("refused MQTT client '{}' (user '{}'): will topic not allowed", clientId, user);
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "not authorized to publish the will topic");
    }

    private void fail(final SimpleAuthOutput output, final String clientId, final String user, final String why) {
        failures.inc();
        log.info("refused MQTT client '{}' (user '{}'): {}", clientId, user, why);
        output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, why);
    }

    private static char[] chars(final ByteBuffer bytes) {
        final CharBuffer decoded = StandardCharsets.UTF_8.decode(bytes.asReadOnlyBuffer());
        final char[] out = new char[decoded.remaining()];
        decoded.get(out);
        Arrays.fill(decoded.array(), '\0');
        return out;
    }
}
