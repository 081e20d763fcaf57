package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A plant gateway for fault tests: publishes {@code publishes} node payloads of {@code metrics} metrics at a steady
 * rate, QoS 1, each with its {@code seq}; when its node goes away it moves to the next broker port and sends again
 * everything it has no PUBACK for, as the real gateway's disk buffer does. Tracks which seqs were acknowledged.
 */
final class FailoverGateway implements Runnable {

    private static final int IN_FLIGHT = 200;
    /**
     * Publishes below the first unacknowledged one that are sent again after a move: a connection that dies can take
     * PUBACKs with it that the broker sent (and the old node stored and will export), so a gateway re-sends its tail.
     */
    static final int RESEND_ON_MOVE = 100;

    private final String clientId;
    private final String user;
    private final IntSupplier[] ports;
    private final String nodeTopic;
    private final int metrics;
    private final int publishes;
    private final int perSecond;
    private final BitSet acked;
    private volatile boolean stopped;
    private volatile int moves;

    /** @param ports the brokers to try in turn (a supplier, so a restarted node may come back on another port) */
    FailoverGateway(final String clientId, final String user, final String nodeTopic, final int metrics,
                    final int publishes, final int perSecond, final IntSupplier... ports) {
        this.clientId = clientId;
        this.user = user;
        this.nodeTopic = nodeTopic;
        this.metrics = metrics;
        this.publishes = publishes;
        this.perSecond = perSecond;
        this.ports = ports;
        this.acked = new BitSet(publishes);
    }

    /** The value of metric {@code m} in publish {@code seq}: known to the test, so sums can be checked. */
    static double value(final int seq, final int m) {
        return seq % 1000 + m / 100.0;
    }

    @Override
    public void run() {
        final long start = System.nanoTime();
        int next = 0;
        int resendFrom = 0;
        while (!stopped && ackedCount() < publishes) {
            final Mqtt5AsyncClient client = connect(ports[next % ports.length].getAsInt());
            if (client != null) {
                publishUnacked(client, start, resendFrom);
                client.disconnect();
            }
            resendFrom = Math.max(0, firstUnacked() - RESEND_ON_MOVE);
            if (ackedCount() < publishes) {
                moves++;
                next++;
                sleep(200);
            }
        }
    }

    private Mqtt5AsyncClient connect(final int port) {
        try {
            final Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                    .serverHost("127.0.0.1").serverPort(port)
                    .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().buildAsync();
            client.connect().get(5, TimeUnit.SECONDS);
            return client;
        } catch (final Exception e) {
            return null;
        }
    }

    /**
     * Sends every seq from {@code resendFrom} on that has no PUBACK (and those below the first unacknowledged one
     * again), paced to {@code perSecond} from {@code start}, until disconnected.
     */
    private void publishUnacked(final Mqtt5AsyncClient client, final long start, final int resendFrom) {
        final Semaphore window = new Semaphore(IN_FLIGHT);
        final int firstUnacked = firstUnacked();
        try {
            for (int seq = resendFrom; seq < publishes && !stopped; seq++) {
                if (seq >= firstUnacked && isAcked(seq)) {
                    continue;
                }
                final long due = start + seq * 1_000_000_000L / perSecond;
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (!window.tryAcquire(10, TimeUnit.SECONDS) || !client.getState().isConnected()) {
                    return;
                }
                final int s = seq;
                client.publishWith().topic(nodeTopic).qos(MqttQos.AT_LEAST_ONCE).payload(payload(seq)).send()
                        .whenComplete((result, error) -> {
                            window.release();
                            if (error == null && accepted(result)) {
                                markAcked(s);
                            }
                        });
            }
            window.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] payload(final int seq) {
        final StringBuilder json = new StringBuilder("{");
        for (int m = 0; m < metrics; m++) {
            json.append("\"m").append(m).append("\":").append(value(seq, m)).append(',');
        }
        return json.append("\"seq\":").append(seq).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean accepted(final Mqtt5PublishResult result) {
        return result.getError().isEmpty()
                && !((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().isError();
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        stopped = true;
    }

    /** How often it moved to another node. */
    int moves() {
        return moves;
    }

    synchronized boolean isAcked(final int seq) {
        return acked.get(seq);
    }

    private synchronized void markAcked(final int seq) {
        acked.set(seq);
    }

    private synchronized int firstUnacked() {
        return acked.nextClearBit(0);
    }

    synchronized int ackedCount() {
        return acked.cardinality();
    }
}
