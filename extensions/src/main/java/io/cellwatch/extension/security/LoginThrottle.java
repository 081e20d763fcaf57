package io.cellwatch.extension.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Slows password guessing by where it comes from, without ever locking a user out. Failed logins (HTTP and MQTT
 * together) are counted per client address and per network (IPv4 /24, IPv6 /64), in leaky buckets that drain
 * {@code failuresPerMinute} a minute. Past its free allowance ({@code failuresPerMinute} for an address, four times
 * that for a network) every further login from there waits before its password is checked, 0.5 s doubling per
 * failure up to {@value #MAX_DELAY_MILLIS} ms; concurrent attempts queue one behind the other, and an attempt that
 * would wait longer than {@value #MAX_QUEUE_MILLIS} ms is refused at once. The user name plays no part: guesses at
 * an account never slow or refuse its owner logging in from elsewhere. At most {@value #MAX_KEYS} addresses and
 * networks are tracked; past that the least recently failing are forgotten. Thread-safe.
 */
public final class LoginThrottle {

    /** Delay before the first slowed attempt; it doubles with every further failure. */
    static final long BASE_DELAY_MILLIS = 500;
    /** The longest single delay. */
    static final long MAX_DELAY_MILLIS = 8_000;
    /** An attempt whose turn would come later than this is refused (MQTT's authentication times out at 10 s). */
    static final long MAX_QUEUE_MILLIS = 9_000;
    /** Addresses and networks tracked at once. */
    static final int MAX_KEYS = 100_000;

    private static final int NETWORK_FACTOR = 4;

    /** What to do with one login attempt. */
    public record Admission(long delayMillis, boolean refused, long retryAfterSeconds) {

        static final Admission NOW = new Admission(0, false, 0);

        /** True if the password may be checked right away. */
        public boolean immediate() {
            return !refused && delayMillis == 0;
        }
    }

    /** One address's or network's failures: a leaky bucket, and when its next queued attempt may run. */
    private static final class Bucket {
        double failures;
        long updatedAt;
        long nextTurn;
    }

    private final int failuresPerMinute;
    private final Clock clock;
    private final LongAdder delayed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder forgotten = new LongAdder();
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Bucket> eldest) {
            if (size() > MAX_KEYS) {
                forgotten.increment();
                return true;
            }
            return false;
        }
    };

    public LoginThrottle(final int failuresPerMinute, final Clock clock) {
        this.failuresPerMinute = failuresPerMinute;
        this.clock = clock;
    }

    /**
     * Decides a login attempt from {@code address} before its password is checked, and reserves its turn: check
     * now, after a delay, or refuse. Never blocks.
     */
    public Admission admit(final String address) {
        final long now = clock.millis();
        synchronized (buckets) {
            final Bucket host = existing(hostKey(address), now);
            final Bucket network = existing(networkKey(address), now);
            final long delay = Math.max(delay(host, failuresPerMinute), delay(network,
                    failuresPerMinute * NETWORK_FACTOR));
            if (delay == 0) {
                return Admission.NOW;
            }
            final long turn = Math.max(now, Math.max(turn(host), turn(network))) + delay;
            if (turn - now > MAX_QUEUE_MILLIS) {
                refused.increment();
                return new Admission(0, true, Math.max(1, (turn - now + 999) / 1000));
            }
            if (host != null) {
                host.nextTurn = turn;
            }
            if (network != null) {
                network.nextTurn = turn;
            }
            delayed.increment();
            return new Admission(turn - now, false, 0);
        }
    }

    /** Records a failed login from {@code address}. */
    public void failed(final String address) {
        final long now = clock.millis();
        synchronized (buckets) {
            bucket(hostKey(address), now).failures += 1;
            bucket(networkKey(address), now).failures += 1;
        }
    }

    /** Attempts made to wait so far. */
    public long delayedCount() {
        return delayed.sum();
    }

    /** Attempts refused so far because their turn was too far off. */
    public long refusedCount() {
        return refused.sum();
    }

    /** Addresses and networks forgotten so far to stay within {@value #MAX_KEYS}. */
    public long forgottenCount() {
        return forgotten.sum();
    }

    /** Addresses and networks tracked now. */
    public int tracked() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private long delay(final Bucket bucket, final int free) {
        if (bucket == null) {
            return 0;
        }
        // Rounded: the bucket drains a little between one failure and the next attempt.
        final double excess = bucket.failures - free;
        if (excess < -0.5) {
            return 0;
        }
        final int doublings = (int) Math.min(20, Math.max(0, Math.round(excess)));
        return Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << doublings);
    }

    private static long turn(final Bucket bucket) {
        return bucket == null ? 0 : bucket.nextTurn;
    }

    /** The bucket of {@code key} drained to {@code now}, or null if it has none (or it drained empty). */
    private Bucket existing(final String key, final long now) {
        final Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return null;
        }
        drain(bucket, now);
        if (bucket.failures <= 0 && bucket.nextTurn <= now) {
            buckets.remove(key);
            return null;
        }
        return bucket;
    }

    private Bucket bucket(final String key, final long now) {
        final Bucket bucket = buckets.computeIfAbsent(key, k -> {
            final Bucket created = new Bucket();
            created.updatedAt = now;
            return created;
        });
        drain(bucket, now);
        return bucket;
    }

    private void drain(final Bucket bucket, final long now) {
        final long elapsed = Math.max(0, now - bucket.updatedAt);
        bucket.failures = Math.max(0, bucket.failures - elapsed * failuresPerMinute / 60_000.0);
        bucket.updatedAt = now;
    }

    private static String hostKey(final String address) {
        return "h " + address;
    }

    /** The /24 of an IPv4 address, the /64 of an IPv6 one; the address itself if it is no IP literal. */
    static String networkKey(final String address) {
        final InetAddress ip = literal(address);
        if (ip instanceof Inet4Address) {
            final byte[] b = ip.getAddress();
            return "n " + (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        }
        if (ip instanceof Inet6Address) {
            final byte[] b = ip.getAddress();
            final StringBuilder prefix = new StringBuilder("n ");
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return "n " + address;
    }

    /** Parses an IP literal without a name lookup; null for anything else. */
    private static InetAddress literal(final String address) {
        if (address == null || address.isEmpty()
                || !(address.indexOf(':') >= 0 || Character.digit(address.charAt(0), 16) >= 0)) {
            return null;
        }
        try {
            // getByName does no lookup for a literal; a non-literal with only hex digits and dots could, so check.
            if (address.indexOf(':') < 0 && !address.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                return null;
            }
            return InetAddress.getByName(address);
        } catch (final java.net.UnknownHostException e) {
            return null;
        }
    }
}
