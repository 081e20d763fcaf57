package io.cellwatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time used so far in this JVM: by the whole process, and by the server's live threads (every thread but the
 * load generator's: its driving threads {@code bench-*}, the MQTT client's event loops {@code com.hivemq.client.mqtt-*}
 * and RxJava pools {@code Rx*}, the {@code /metrics} scraper's {@code HttpClient-*}), per thread pool (the name without its trailing numbers, e.g.
 * {@code extension-task-executor}). A server thread that ended since an earlier snapshot takes its CPU time with it,
 * so snapshot around a run whose server lives on (broker, extension and storage threads are pools that do).
 *
 * @param processNanos CPU time of the whole process, ended threads included
 * @param serverPools  CPU time of the server's live threads by pool
 */
record ThreadCpu(long processNanos, Map<String, Long> serverPools) {

    ThreadCpu {
        serverPools = Collections.unmodifiableMap(new TreeMap<>(serverPools));
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The CPU time used so far. */
    static ThreadCpu now() {
        if (!THREADS.isThreadCpuTimeSupported()
                || !(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
            throw new IllegalStateException("this JVM cannot measure CPU time per thread and process");
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        final Map<String, Long> pools = new TreeMap<>();
        for (final long id : THREADS.getAllThreadIds()) {
            final ThreadInfo info = THREADS.getThreadInfo(id);
            final long cpu = THREADS.getThreadCpuTime(id);
            if (info != null && cpu > 0 && !isGenerator(info.getThreadName())) {
                pools.merge(pool(info.getThreadName()), cpu, Long::sum);
            }
        }
        return new ThreadCpu(os.getProcessCpuTime(), pools);
    }

    /** Whether a thread of this name belongs to the load generator. */
    static boolean isGenerator(final String threadName) {
        return threadName.startsWith("bench-") || threadName.startsWith("com.hivemq.client.mqtt")
                || threadName.startsWith("Rx") || threadName.startsWith("HttpClient-");
    }

    /** The pool a thread belongs to: its name without trailing digits and separators. */
    static String pool(final String threadName) {
        int end = threadName.length();
        while (end > 0 && (Character.isDigit(threadName.charAt(end - 1)) || threadName.charAt(end - 1) == '-'
                || threadName.charAt(end - 1) == '#' || threadName.charAt(end - 1) == ' ')) {
            end--;
        }
        return end == 0 ? threadName : threadName.substring(0, end);
    }

    /** CPU time of every server thread. */
    long serverNanos() {
        return serverPools.values().stream().mapToLong(Long::longValue).sum();
    }

    /** CPU time of one server pool (0 if it has no thread). */
    long poolNanos(final String pool) {
        return serverPools.getOrDefault(pool, 0L);
    }

    /** The sum of two intervals' use (e.g. of several runs). */
    ThreadCpu plus(final ThreadCpu other) {
        final Map<String, Long> pools = new TreeMap<>(serverPools);
        other.serverPools.forEach((pool, nanos) -> pools.merge(pool, nanos, Long::sum));
        return new ThreadCpu(processNanos + other.processNanos, pools);
    }

    /** What was used between {@code earlier} and this snapshot. */
    ThreadCpu since(final ThreadCpu earlier) {
        final Map<String, Long> pools = new TreeMap<>(serverPools);
        earlier.serverPools.forEach((pool, nanos) -> pools.merge(pool, -nanos, Long::sum));
        return new ThreadCpu(processNanos - earlier.processNanos, pools);
    }
}
