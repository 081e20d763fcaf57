package io.cellwatch.extension.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Every gateway that ever published, interned by {@link GatewayKey} (tenant, user, client id). A new gateway is announced to the listener (the WAL)
 * before anyone can use its id. Thread-safe.
 */
public final class GatewayRegistry {

    private final ConcurrentHashMap<GatewayKey, Gateway> gateways = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Gateway> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Consumer<Gateway> onCreated;

    /** @param onCreated called once per new gateway, inside its creation, before any other thread can see it */
    public GatewayRegistry(final Consumer<Gateway> onCreated) {
        this.onCreated = onCreated;
    }

    /** The gateway for {@code key}, created if new. */
    public Gateway gateway(final GatewayKey key) {
        final Gateway known = gateways.get(key);
        if (known != null) {
            return known;
        }
        return gateways.computeIfAbsent(key, k -> {
            final Gateway created = new Gateway(nextId.getAndIncrement(), k, -1);
            onCreated.accept(created);
            byId.put(created.id(), created);
            return created;
        });
    }

    /** Re-creates a gateway known from storage; used by recovery before the broker takes publishes. */
    public Gateway restore(final int id, final GatewayKey key, final long highestSeq) {
        final Gateway restored = gateways.computeIfAbsent(key, k -> new Gateway(id, k, highestSeq));
        restored.accepted(highestSeq);
        byId.put(id, restored);
        nextId.accumulateAndGet(id + 1, Math::max);
        return restored;
    }

    /** The gateway with compact id {@code id}, or {@code null}. */
    public Gateway byId(final int id) {
        return byId.get(id);
    }

    /** Number of gateways known. */
    public int size() {
        return gateways.size();
    }
}
