package io.cellwatch.extension.security;

import com.codahale.metrics.Counter;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.extension.ingest.PublishPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Decides every PUBLISH (asked first by the telemetry interceptor, then by HiveMQ; will messages included) and every
 * SUBSCRIBE by the access policy in force at that moment,
 * so an edit of the ACL file applies to live connections at once. Runs on the broker's extension threads: a map
 * lookup and a rule walk, nothing that blocks. Never throws: a failure denies. Thread-safe.
 */
final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer, PublishPermission {

    private static final Logger log = LoggerFactory.getLogger(TopicAuthorizer.class);

    private final AccessControl access;
    private final Counter deniedPublishes;
    private final Counter deniedSubscriptions;

    TopicAuthorizer(final AccessControl access, final Counter deniedPublishes, final Counter deniedSubscriptions) {
        this.access = access;
        this.deniedPublishes = deniedPublishes;
        this.deniedSubscriptions = deniedSubscriptions;
    }

    @Override
    public boolean mayPublish(final ConnectionInformation connection, final String clientId, final String topic) {
        boolean allowed = false;
        try {
            final AccessPolicy policy = access.current();
            final Optional<Principal> principal = principal(policy, connection);
            allowed = principal.isPresent() && policy.mayPublish(principal.get(), clientId, topic);
        } catch (final RuntimeException e) {
            log.error("publish authorization of client '{}' failed; denied", clientId, e);
        }
        if (!allowed) {
            deniedPublishes.inc();
        }
        return allowed;
    }

    @Override
    public void authorizePublish(final @NotNull PublishAuthorizerInput input,
                                 final @NotNull PublishAuthorizerOutput output) {
        // Publishes the interceptor refused never get here; wills and anything else HiveMQ authorizes do.
        if (mayPublish(input.getConnectionInformation(), input.getClientInformation().getClientId(),
                input.getPublishPacket().getTopic())) {
            output.authorizeSuccessfully();
        } else {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish to this topic");
        }
    }

    @Override
    public void authorizeSubscribe(final @NotNull SubscriptionAuthorizerInput input,
                                   final @NotNull SubscriptionAuthorizerOutput output) {
        final String filter = input.getSubscription().getTopicFilter();
        final String clientId = input.getClientInformation().getClientId();
        boolean allowed = false;
        try {
            final AccessPolicy policy = access.current();
            final Optional<Principal> principal = principal(policy, input.getConnectionInformation());
            allowed = principal.isPresent() && policy.maySubscribe(principal.get(), clientId, filter);
        } catch (final RuntimeException e) {
            log.error("subscribe authorization of client '{}' failed; denied", clientId, e);
        }
        if (allowed) {
            output.authorizeSuccessfully();
        } else {
            deniedSubscriptions.inc();
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to this filter");
        }
    }

    private Optional<Principal> principal(final AccessPolicy policy, final ConnectionInformation connection) {
        final Optional<String> user = connection.getConnectionAttributeStore().getAsString(MqttAccess.USER_ATTRIBUTE);
        if (user.isPresent()) {
            return policy.principal(user.get());
        }
        return access.allowsAnonymous() ? Optional.of(Principal.anonymous()) : Optional.empty();
    }
}
