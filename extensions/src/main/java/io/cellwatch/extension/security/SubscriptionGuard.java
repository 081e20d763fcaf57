package io.cellwatch.extension.security;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.ModifiableSubscription;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.ingest.ReasonString;
import io.cellwatch.mapping.MappingRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides every SUBSCRIBE of one client (shared subscriptions included) by the access policy and the mapping rules
 * in force at that moment (a filter that can reach a foreign topic another tenant owns is refused, whatever the
 * {@code foreign} grants say: {@link io.cellwatch.mapping.ForeignOwnership}), without a HiveMQ authorizer: once any authorizer is registered, HiveMQ CE runs an extra asynchronous round
 * for every PUBLISH as well, which measured as most of the ACL's cost on the publish path (docs/decisions.md). A
 * refused filter is replaced, before the broker sees it, by {@value #REFUSED_FILTER}, which every authenticated
 * client's default permissions deny ({@link #refusedFilterPermission()}): HiveMQ itself then answers
 * <em>not authorized</em> (MQTT 3.1.1: failure) for that entry and creates no subscription. Never throws: a failure
 * refuses. Thread-safe.
 */
final class SubscriptionGuard implements SubscribeInboundInterceptor {

    /** What a refused filter is replaced with. */
    static final String REFUSED_FILTER = "$cellwatch/refused";

    private static final Logger log = LoggerFactory.getLogger(SubscriptionGuard.class);

    private final AccessControl access;
    private final Supplier<MappingRules> rules;
    private final String user;
    private final String clientId;
    private final CounterDataPoint denied;

    /**
     * @param user the authenticated user, or {@code null} for a client let in without credentials
     */
    SubscriptionGuard(final AccessControl access, final Supplier<MappingRules> rules, final String user,
                      final String clientId, final CounterDataPoint denied) {
        this.access = access;
        this.rules = rules;
        this.user = user;
        this.clientId = clientId;
        this.denied = denied;
    }

    /** The default permission every authenticated client gets: subscribing to {@value #REFUSED_FILTER} is denied. */
    static TopicPermission refusedFilterPermission() {
        return Builders.topicPermission().topicFilter(REFUSED_FILTER).type(TopicPermission.PermissionType.DENY)
                .activity(TopicPermission.MqttActivity.SUBSCRIBE).build();
    }

    @Override
    public void onInboundSubscribe(final @NotNull SubscribeInboundInput input,
                                   final @NotNull SubscribeInboundOutput output) {
        for (final ModifiableSubscription subscription : output.getSubscribePacket().getSubscriptions()) {
            final String filter = subscription.getTopicFilter();
            if (!allows(filter)) {
                denied.inc();
                try (MDC.MDCCloseable c = MDC.putCloseable("client_id", clientId)) {
                    log.info("refused subscription of MQTT client '{}' (user '{}') to '{}': not authorized",
                            ReasonString.of(clientId), user, ReasonString.of(filter));
                }
                subscription.setTopicFilter(REFUSED_FILTER);
            }
        }
    }

    /** Whether {@code filter}, or the filter of a shared subscription {@code $share/{group}/…}, names the internal tenant. */
    static boolean namesInternalTenant(final String filter) {
        if (filter.startsWith("$share/")) {
            final int slash = filter.indexOf('/', "$share/".length());
            return slash > 0 && TopicResolver.isInternal(filter.substring(slash + 1));
        }
        return TopicResolver.isInternal(filter);
    }

    private boolean allows(final String filter) {
        if (namesInternalTenant(filter)) {
            // The synthetic probe's tenant: nothing there is ever delivered, and nobody may ask for it.
            return false;
        }
        try {
            final AccessPolicy policy = access.current();
            final Optional<Principal> principal = access.principal(policy, user);
            return principal.isPresent() && policy.maySubscribe(principal.get(), clientId, filter)
                    && rules.get().ownership().maySubscribe(principal.get(), filter);
        } catch (final RuntimeException e) {
            log.error("subscribe authorization of client '{}' failed; refused", clientId, e);
            return false;
        }
    }
}
