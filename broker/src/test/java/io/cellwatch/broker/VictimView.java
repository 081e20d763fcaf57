package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A tenant that must not notice an attack by another: its gateway publishes one value every 20 ms and its operator
 * watches them live; {@link #watchFor} measures the longest pause between deltas.
 */
final class VictimView implements AutoCloseable {

    static final String PATH = "tenants/nordvolt/plants/victim";

    private final Mqtt5BlockingClient gateway;
    private final LiveClient live;
    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private final Thread publisher;

    /** Connects the nordvolt gateway and operator, subscribes and waits for the first delta. */
    VictimView(final CellwatchServer server) throws Exception {
        gateway = Gateways.connect(TestAccess.NORDVOLT_GATEWAY, server.config().mqttPort(),
                TestAccess.NORDVOLT_GATEWAY);
        live = new LiveClient(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
        live.subscribe(PATH);
        publisher = new Thread(() -> {
            for (long i = 1; publishing.get(); i++) {
                Gateways.publish(gateway, PATH + "/racks/r1", "{\"soc\":" + i + "}");
                try {
                    Thread.sleep(20);
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }, "victim-gateway");
        publisher.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!live.next(10).path("type").asText().equals("delta")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the victim got no delta before the attack");
            }
        }
    }

    /**
     * Reads the victim's frames while {@code attackRunning} and for {@code afterMillis} more; the longest time without
     * a delta, in milliseconds.
     */
    long watchFor(final AtomicBoolean attackRunning, final long afterMillis) throws InterruptedException {
        long last = System.nanoTime();
        long longest = 0;
        long end = Long.MAX_VALUE;
        while (System.nanoTime() < end) {
            if (end == Long.MAX_VALUE && !attackRunning.get()) {
                end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(afterMillis);
            }
            final JsonNode frame = live.poll(50);
            final long now = System.nanoTime();
            if (frame != null && frame.path("type").asText().equals("delta")) {
                last = now;
            }
            longest = Math.max(longest, TimeUnit.NANOSECONDS.toMillis(now - last));
        }
        return longest;
    }

    @Override
    public void close() throws InterruptedException {
        publishing.set(false);
        publisher.join(5_000);
        live.close();
        gateway.disconnect();
    }
}
