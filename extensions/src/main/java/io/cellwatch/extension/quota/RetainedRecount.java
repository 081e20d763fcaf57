package io.cellwatch.extension.quota;

import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.publish.RetainedPublish;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.health.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the retained messages the broker kept across a restart against the tenants that hold them, once at start,
 * on HiveMQ's extension executor (never a publish thread). Until it is done {@code /readyz} says so; the publish path
 * counts what it changes meanwhile, and a topic it counted first is not counted again. Topics under
 * {@code tenants/{t}/} count for {@code t}; the broker's own (gateway state, alerts) for nobody; other topics for the
 * clients without tenant until a tenant's member replaces them (the broker does not keep who published a message).
 * Thread-safe.
 */
public final class RetainedRecount implements Readiness.Check {

    private static final Logger log = LoggerFactory.getLogger(RetainedRecount.class);

    private volatile boolean done;

    private RetainedRecount() {
    }

    /** Starts counting the broker's retained messages into {@code quotas}. */
    public static RetainedRecount start(final TenantQuotas quotas) {
        final RetainedRecount recount = new RetainedRecount();
        final AtomicInteger counted = new AtomicInteger();
        final long start = System.nanoTime();
        final TenantQuota nobody = quotas.of("");
        Services.retainedMessageStore().iterateAllRetainedMessages((context, publish) -> {
            final String topic = publish.getTopic();
            if (!TopicResolver.isBrokerOwned(topic)) {
                quotas.retained().restored(quotas.retainedHolder(topic, nobody), topic,
                        RetainedLedger.sizeOf(topic, payloadBytes(publish)));
                counted.incrementAndGet();
            }
        }, Services.extensionExecutorService()).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.error("could not count the retained messages kept across the restart; retained quotas count "
                        + "only what is published from now on", failure);
            } else {
                log.info("counted {} retained messages against their tenants' quotas in {} ms", counted.get(),
                        (System.nanoTime() - start) / 1_000_000);
            }
            recount.done = true;
        });
        return recount;
    }

    private static int payloadBytes(final RetainedPublish publish) {
        return publish.getPayload().map(ByteBuffer::remaining).orElse(0);
    }

    @Override
    public Optional<String> get() {
        return done ? Optional.empty() : Optional.of("retained messages not yet counted against tenant quotas");
    }
}
