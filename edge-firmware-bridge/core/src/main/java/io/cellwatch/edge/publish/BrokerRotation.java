package io.cellwatch.edge.publish;

/**
 * Which broker the link connects to next, and whether it waits first. The link stays on a broker while it works;
 * after a lost connection it tries the same broker once more (a restart or a network blip), and after a failed
 * attempt it moves to the next broker in config order at once. Only when every broker failed in a row does it wait,
 * with the reconnect backoff, before the next round. With one broker this is the backoff of every attempt, as before
 * brokers became a list. Not thread-safe: the MQTT client calls its listeners one at a time.
 */
final class BrokerRotation {

    /** The next attempt: broker {@code broker}, after backoff attempt {@code backoffAttempt}, or at once if negative. */
    record Hop(int broker, int backoffAttempt) {

        boolean waits() {
            return backoffAttempt >= 0;
        }
    }

    private final int brokers;
    private int current;
    private int failedInRound;
    private int waits;

    BrokerRotation(final int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("at least one broker");
        }
        this.brokers = brokers;
    }

    /** The broker connected to, or being tried. */
    int current() {
        return current;
    }

    /** Connected: the next loss starts from this broker, with the shortest backoff. */
    void connected() {
        failedInRound = 0;
        waits = 0;
    }

    /** The connection to the current broker was lost: try it again after the backoff. */
    Hop lost() {
        failedInRound = 0;
        return new Hop(current, waits++);
    }

    /** An attempt to connect to the current broker failed: the next one at once, or wait after a full round. */
    Hop failed() {
        current = (current + 1) % brokers;
        if (++failedInRound < brokers) {
            return new Hop(current, -1);
        }
        failedInRound = 0;
        return new Hop(current, waits++);
    }
}
