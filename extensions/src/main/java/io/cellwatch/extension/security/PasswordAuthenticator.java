package io.cellwatch.extension.security;

import com.codahale.metrics.Counter;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.extension.ingest.ReasonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Decides every MQTT CONNECT: the user name and password against the password file (logins from an address with
 * many failed ones wait first, as for HTTP: {@link LoginThrottle}), the will as the publish it will become
 * ({@link WillCheck}: no authorizer is registered, and HiveMQ sends wills past the publish interceptors), and the
 * client id against its owner and the
 * {@code clientid} lines ({@link ClientIdGuard}). Hash checks run on a dedicated executor (a slow PBKDF2 must not
 * stall the broker's threads); a success records the user and the connection in the connection's attributes, where
 * the publish check, the subscription guard and the disconnect listener find them. Every branch decides; nothing is
 * delegated. Reason strings are fixed texts.
 */
final class PasswordAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(PasswordAuthenticator.class);
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);

    private final AccessControl access;
    private final WillCheck wills;
    private final ClientIdGuard clientIds;
    private final ConnectedClients clients;
    private final Executor verifier;
    private final MqttAccessMetrics metrics;
    private final ProbeLogin probe;
    private final ScheduledExecutorService delays;

    /** {@code delays} only times the throttle's waits; the checks themselves run on {@code verifier}. */
    PasswordAuthenticator(final AccessControl access, final WillCheck wills, final ClientIdGuard clientIds,
                          final ConnectedClients clients, final Executor verifier,
                          final ScheduledExecutorService delays, final MqttAccessMetrics metrics,
                          final ProbeLogin probe) {
        this.probe = probe;
        this.delays = delays;
        this.access = access;
        this.wills = wills;
        this.clientIds = clientIds;
        this.clients = clients;
        this.verifier = verifier;
        this.metrics = metrics;
    }

    @Override
    public void onConnect(final @NotNull SimpleAuthInput input, final @NotNull SimpleAuthOutput output) {
        final ConnectPacket connect = input.getConnectPacket();
        final Optional<String> user = connect.getUserName();
        final String address = address(input);
        // Only password checks are throttled: by address and network, never by user name (docs/access-control.md).
        final LoginThrottle.Admission admission = user.isPresent() && !ProbeLogin.claims(user.get(), connect.getClientId())
                ? access.loginThrottle().admit(address) : LoginThrottle.Admission.NOW;
        if (admission.refused()) {
            metrics.loginThrottled();
            log.info("refused MQTT login of user '{}' from {} (client '{}'): too many failed logins from there,"
                            + " {} s to wait", ReasonString.of(user.orElse("")), address,
                    ReasonString.of(connect.getClientId()), admission.retryAfterSeconds());
            output.failAuthentication(ConnackReasonCode.QUOTA_EXCEEDED,
                    "too many failed logins from this address; try later");
            return;
        }
        final char[] password = connect.getPassword().map(PasswordAuthenticator::chars).orElse(new char[0]);
        final Async<SimpleAuthOutput> async = output.async(VERIFY_TIMEOUT, TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_BUSY, "authentication timed out");
        if (admission.immediate()) {
            verifyOnPool(input, output, password, async);
            return;
        }
        // The wait is a scheduled task, not a sleeping thread: neither broker nor verifier threads are held.
        try {
            delays.schedule(() -> verifyOnPool(input, output, password, async), admission.delayMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (final RejectedExecutionException e) {
            Arrays.fill(password, '\0');
            output.failAuthentication(ConnackReasonCode.SERVER_BUSY, "authentication is shutting down");
            async.resume();
        }
    }

    /** Hands the decision to the verifier pool; resumes {@code async} exactly once and wipes the password. */
    private void verifyOnPool(final SimpleAuthInput input, final SimpleAuthOutput output, final char[] password,
                              final Async<SimpleAuthOutput> async) {
        try {
            verifier.execute(() -> {
                try {
                    decide(input, output, password, async);
                } catch (final RuntimeException e) {
                    log.error("authentication of a client from {} failed unexpectedly", address(input), e);
                    output.failAuthentication(ConnackReasonCode.UNSPECIFIED_ERROR, "authentication failed");
                    async.resume();
                } finally {
                    Arrays.fill(password, '\0');
                }
            });
        } catch (final RejectedExecutionException e) {
            Arrays.fill(password, '\0');
            output.failAuthentication(ConnackReasonCode.SERVER_BUSY, "authentication is shutting down");
            async.resume();
        }
    }

    /** Runs on the verifier; resumes {@code async} exactly once, now or when the client id is decided. */
    private void decide(final SimpleAuthInput input, final SimpleAuthOutput output, final char[] password,
                        final Async<SimpleAuthOutput> async) {
        final ConnectPacket connect = input.getConnectPacket();
        final String clientId = connect.getClientId();
        final String address = address(input);
        final AccessPolicy policy = access.current();
        final Optional<String> user = connect.getUserName();
        if (ProbeLogin.claims(user.orElse(null), clientId)) {
            decideProbe(input, output, password, address);
            async.resume();
            return;
        }
        final Principal principal;
        if (user.isEmpty()) {
            if (!access.allowsAnonymous()) {
                refuseLogin(output, clientId, "", address, "this broker needs a user name and password");
                async.resume();
                return;
            }
            principal = Principal.anonymous();
        } else {
            final Optional<Principal> authenticated = policy.authenticate(user.get(), password);
            if (authenticated.isEmpty()) {
                access.loginThrottle().failed(address);
                refuseLogin(output, clientId, user.get(), address, "bad user name or password");
                async.resume();
                return;
            }
            principal = authenticated.get();
        }
        final WillCheck.Decision will = connect.getWillPublish()
                .map(w -> wills.decide(policy, principal, clientId, w)).orElse(WillCheck.Decision.ALLOWED);
        if (!will.allowed()) {
            metrics.willDenied();
            log.info("refused MQTT client '{}' (user '{}') from {}: will not allowed ({})",
                    ReasonString.of(clientId), principal.user(), address, will.verdict());
            switch (will.verdict()) {
                case PAYLOAD_INVALID -> output.failAuthentication(ConnackReasonCode.PAYLOAD_FORMAT_INVALID,
                        "the will's payload does not fit the mapping rule of its topic");
                case OVERSIZE -> output.failAuthentication(ConnackReasonCode.PACKET_TOO_LARGE,
                        "the will's payload is over the tenant's payload size limit");
                case QUOTA_EXCEEDED -> output.failAuthentication(ConnackReasonCode.QUOTA_EXCEEDED,
                        "a retained will would pass the tenant's retained quota");
                default -> output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED,
                        "not authorized to publish the will topic");
            }
            async.resume();
            return;
        }
        clientIds.admit(policy, principal, clientId).whenComplete((decision, failure) -> {
            try {
                if (failure != null) {
                    log.error("could not decide the client id '{}' of user '{}'; refused", ReasonString.of(clientId),
                            principal.user(), failure);
                    will.retained().undo();
                    output.failAuthentication(ConnackReasonCode.SERVER_BUSY, "client id check failed; try again");
                } else if (!decision.admitted()) {
                    will.retained().undo();
                    refuseClientId(output, principal, clientId, address, decision.refusal());
                } else {
                    admitted(input, connect, principal, decision.connection());
                    succeed(output);
                }
            } finally {
                async.resume();
            }
        });
    }

    /**
     * The synthetic probe's own login, or someone claiming its user name or client id: only the probe's password
     * passes; no password file or ACL rule is asked, and the probe is not counted among the tenants' clients.
     */
    private void decideProbe(final SimpleAuthInput input, final SimpleAuthOutput output, final char[] password,
                             final String address) {
        final ConnectPacket connect = input.getConnectPacket();
        if (probe.matches(connect.getUserName().orElse(null), connect.getClientId(), password)
                && connect.getWillPublish().isEmpty()) {
            input.getConnectionInformation().getConnectionAttributeStore()
                    .putAsString(MqttAccess.USER_ATTRIBUTE, ProbeLogin.USER);
            succeed(output);
            return;
        }
        if (ProbeLogin.USER.equals(connect.getUserName().orElse(null))) {
            refuseLogin(output, connect.getClientId(), ProbeLogin.USER, address, "bad user name or password");
            return;
        }
        metrics.clientIdRefused(ClientIdGuard.Refusal.PATTERN);
        log.info("refused MQTT client id '{}' from {}: reserved for cellwatch's synthetic probe",
                ReasonString.of(connect.getClientId()), address);
        output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                "client identifier not allowed for this user");
    }

    private void admitted(final SimpleAuthInput input, final ConnectPacket connect, final Principal principal,
                          final long connection) {
        final ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
        final ConnectedClients.Connection admitted = new ConnectedClients.Connection(principal.user(), connection,
                connect.getSessionExpiryInterval() == 0);
        ConnectedClients.store(attributes, admitted);
        if (!principal.user().isEmpty()) {
            attributes.putAsString(MqttAccess.USER_ATTRIBUTE, principal.user());
        }
        clients.authenticated(connect.getClientId(), admitted);
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

    private void refuseLogin(final SimpleAuthOutput output, final String clientId, final String user,
                             final String address, final String why) {
        metrics.loginFailed();
        try (MDC.MDCCloseable c = MDC.putCloseable("client_id", clientId)) {
            log.info("refused MQTT login of user '{}' from {} (client '{}'): {}", ReasonString.of(user), address,
                    ReasonString.of(clientId), why);
        }
        output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, why);
    }

    private void refuseClientId(final SimpleAuthOutput output, final Principal principal, final String clientId,
                                final String address, final ClientIdGuard.Refusal refusal) {
        metrics.clientIdRefused(refusal);
        try (MDC.MDCCloseable t = MDC.putCloseable("tenant", principal.tenant().orElse(""));
             MDC.MDCCloseable c = MDC.putCloseable("client_id", clientId)) {
            log.info("refused MQTT client id '{}' of user '{}' (tenant '{}') from {}: {}", ReasonString.of(clientId),
                    principal.user(), principal.tenant().orElse(""), address, switch (refusal) {
                        case PATTERN -> "does not match the clientid rules of its role";
                        case OWNED -> "owned by another user";
                        case SESSIONS -> "the user holds as many client ids as its sessions-per-user quota allows";
                    });
        }
        switch (refusal) {
            case PATTERN -> output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client identifier not allowed for this user");
            case OWNED -> output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client identifier in use by another user");
            case SESSIONS -> output.failAuthentication(ConnackReasonCode.QUOTA_EXCEEDED,
                    "quota exceeded: this user holds its tenant's limit of client ids (sessions-per-user); "
                            + "reuse one or end a session");
        }
    }

    private static String address(final SimpleAuthInput input) {
        return input.getConnectionInformation().getInetAddress().map(InetAddress::getHostAddress).orElse("unknown");
    }

    private static char[] chars(final ByteBuffer bytes) {
        final CharBuffer decoded = StandardCharsets.UTF_8.decode(bytes.asReadOnlyBuffer());
        final char[] out = new char[decoded.remaining()];
        decoded.get(out);
        Arrays.fill(decoded.array(), '\0');
        return out;
    }
}
