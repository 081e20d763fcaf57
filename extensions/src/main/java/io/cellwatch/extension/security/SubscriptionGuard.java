package io.cellwatch.extension.security;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundOutput;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import com.hivemq.extension.sdk.api.packets.subscribe.ModifiableSubscription;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.quota.TenantQuota;
import io.cellwatch.extension.ingest.ReasonString;
import io.cellwatch.mapping.MappingRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Decides every SUBSCRIBE of one client (shared subscriptions included) by the access policy and the mapping rules
 * in force at that moment (a filter that can reach a foreign topic another tenant owns is refused, whatever the
 * {@code foreign} grants say: {@link io.cellwatch.mapping.ForeignOwnership}), without a HiveMQ authorizer: once any authorizer is registered, HiveMQ CE runs an extra asynchronous round
 * for every PUBLISH as well, which measured as most of the ACL's cost on the publish path (docs/decisions.md). A
 * refused filter is replaced, before the broker sees it, by {@value #REFUSED_FILTER}, which every authenticated
 * client's default permissions deny ({@link #refusedFilterPermission()}): HiveMQ itself then answers
 * <em>not authorized</em> (MQTT 3.1.1: failure) for that entry and creates no subscription. The same happens to a
 * new filter past the {@code subscriptions-per-client} quota of the client's tenant: the guard knows the client's
 * filters (those its session kept, read from the broker's subscription store when the client connects, and those it
 * subscribed and unsubscribed since). Never throws: a failure refuses. Thread-safe.
 */
final class SubscriptionGuard implements SubscribeInboundInterceptor, UnsubscribeInboundInterceptor {

    /** What a refused filter is replaced with. */
    static final String REFUSED_FILTER = "$cellwatch/refused";

    private static final Logger log = LoggerFactory.getLogger(SubscriptionGuard.class);
    private static final Duration KEPT_TIMEOUT = Duration.ofSeconds(10);

    private final AccessControl access;
    private final Supplier<MappingRules> rules;
    private final String user;
    private final String clientId;
    private final CounterDataPoint denied;
    private final TenantQuota quota;
    /** The client's filters; guarded by {@code this}. */
    private final Set<String> held = new HashSet<>();
    private final CompletableFuture<Void> kept;

    /**
     * @param user  the authenticated user, or {@code null} for a client let in without credentials
     * @param quota the quota of the user's tenant (its subscriptions-per-client limit)
     * @param store the broker's subscriptions, for those the client's session kept from before this connection
     */
    SubscriptionGuard(final AccessControl access, final Supplier<MappingRules> rules, final String user,
                      final String clientId, final CounterDataPoint denied, final TenantQuota quota,
                      final SubscriptionStore store) {
        this.access = access;
        this.rules = rules;
        this.user = user;
        this.clientId = clientId;
        this.denied = denied;
        this.quota = quota;
        this.kept = store.getSubscriptions(clientId).handle((subscriptions, failure) -> {
            if (failure != null) {
                log.warn("could not read the kept subscriptions of client '{}'; its quota counts new ones only",
                        ReasonString.of(clientId), failure);
            } else {
                remember(subscriptions);
            }
            return null;
        });
    }

    private synchronized void remember(final Set<TopicSubscription> subscriptions) {
        for (final TopicSubscription subscription : subscriptions) {
            held.add(subscription.getTopicFilter());
        }
    }

    /** The default permission every authenticated client gets: subscribing to {@value #REFUSED_FILTER} is denied. */
    static TopicPermission refusedFilterPermission() {
        return Builders.topicPermission().topicFilter(REFUSED_FILTER).type(TopicPermission.PermissionType.DENY)
                .activity(TopicPermission.MqttActivity.SUBSCRIBE).build();
    }

    @Override
    public void onInboundSubscribe(final @NotNull SubscribeInboundInput input,
                                   final @NotNull SubscribeInboundOutput output) {
        if (kept.isDone()) {
            decide(output);
            return;
        }
        // Only a SUBSCRIBE right after CONNECT, before the kept subscriptions were read, waits for them.
        final Async<SubscribeInboundOutput> async = output.async(KEPT_TIMEOUT, TimeoutFallback.FAILURE);
        kept.whenComplete((ignored, failure) -> {
            try {
                decide(output);
            } finally {
                async.resume();
            }
        });
    }

    @Override
    public void onInboundUnsubscribe(final @NotNull UnsubscribeInboundInput input,
                                     final @NotNull UnsubscribeInboundOutput output) {
        synchronized (this) {
            input.getUnsubscribePacket().getTopicFilters().forEach(held::remove);
        }
    }

    private void decide(final SubscribeInboundOutput output) {
        for (final ModifiableSubscription subscription : output.getSubscribePacket().getSubscriptions()) {
            final String filter = subscription.getTopicFilter();
            if (!allows(filter)) {
                denied.inc();
                try (MDC.MDCCloseable c = MDC.putCloseable("client_id", clientId)) {
                    log.info("refused subscription of MQTT client '{}' (user '{}') to '{}': not authorized",
                            ReasonString.of(clientId), user, ReasonString.of(filter));
                }
                subscription.setTopicFilter(REFUSED_FILTER);
            } else if (!hold(filter)) {
                subscription.setTopicFilter(REFUSED_FILTER);
            }
        }
    }

    /** Counts {@code filter} among the client's subscriptions, or refuses it over the quota (a repeat is free). */
    private synchronized boolean hold(final String filter) {
        if (held.contains(filter)) {
            return true;
        }
        try {
            quota.checkSubscriptions(held.size());
        } catch (final Rejection rejection) {
            try (MDC.MDCCloseable c = MDC.putCloseable("client_id", clientId)) {
                log.debug("refused subscription of MQTT client '{}' to '{}': {}", ReasonString.of(clientId),
                        ReasonString.of(filter), rejection.getMessage());
            }
            return false;
        }
        held.add(filter);
        return true;
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
