package io.cellwatch.extension.security;

import com.codahale.metrics.Counter;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Decides every SUBSCRIBE (shared subscriptions included) by the access policy in force at that moment. Publishes
 * are not decided here: each client's telemetry interceptor checks them before anything is stored, and a
 * registered publish authorizer would only add a second, asynchronous round per message. Never throws: a failure
 * denies. Thread-safe.
 */
final class SubscriptionAccess implements SubscriptionAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionAccess.class);

    private final AccessControl access;
    private final Counter denied;

    SubscriptionAccess(final AccessControl access, final Counter denied) {
        this.access = access;
        this.denied = denied;
    }

    @Override
    public void authorizeSubscribe(final @NotNull SubscriptionAuthorizerInput input,
                                   final @NotNull SubscriptionAuthorizerOutput output) {
        final String filter = input.getSubscription().getTopicFilter();
        final String clientId = input.getClientInformation().getClientId();
        boolean allowed = false;
        try {
            final AccessPolicy policy = access.current();
            final Optional<String> user = input.getConnectionInformation().getConnectionAttributeStore()
                    .getAsString(MqttAccess.USER_ATTRIBUTE);
            final Optional<Principal> principal = user.isPresent() ? policy.principal(user.get())
                    : access.allowsAnonymous() ? Optional.of(Principal.anonymous()) : Optional.empty();
            allowed = principal.isPresent() && policy.maySubscribe(principal.get(), clientId, filter);
        } catch (final RuntimeException e) {
            log.error("subscribe authorization of client '{}' failed; denied", clientId, e);
        }
        if (allowed) {
            output.authorizeSuccessfully();
        } else {
            denied.inc();
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to this filter");
        }
    }
}
