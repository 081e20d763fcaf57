package io.cellwatch.bench;

import io.cellwatch.contract.PayloadParser;
import io.cellwatch.contract.Rejection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long the publish path's parser takes for one node payload of 5, 100, 1,000 and 5,000 metrics (the width issue
 * 22's series flood used), on one thread: best and median of 7 rounds, each long enough to be timed. A parser that is
 * not linear in the payload's width lets one tenant's wide payloads hold up everyone's publishes on the broker's
 * shared extension threads.
 */
final class ParseBenchmark {

    private static final int[] WIDTHS = {5, 100, 1_000, 5_000};
    private static final int ROUNDS = 7;
    private static final long ROUND_NANOS = 200_000_000L;

    private ParseBenchmark() {
    }

    /** Prints the table. */
    static void run() {
        final PayloadParser parser = new PayloadParser(4 * 1024 * 1024);
        System.out.println("| metrics per payload | payload bytes | best µs / payload | median µs / payload "
                + "| µs / metric (median) |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (final int width : WIDTHS) {
            final byte[] payload = node(width);
            final double[] micros = new double[ROUNDS];
            for (int round = -2; round < ROUNDS; round++) {
                final double perPayload = round(parser, payload);
                if (round >= 0) {
                    micros[round] = perPayload;
                }
            }
            Arrays.sort(micros);
            System.out.println(String.format(Locale.ROOT, "| %,d | %,d | %.1f | %.1f | %.3f |", width, payload.length,
                    micros[0], micros[ROUNDS / 2], micros[ROUNDS / 2] / width));
        }
    }

    /** Microseconds per parse over one round (the first two rounds warm the JIT and are not kept). */
    private static double round(final PayloadParser parser, final byte[] payload) {
        long parsed = 0;
        long metrics = 0;
        final long start = System.nanoTime();
        long now;
        do {
            try {
                metrics += parser.parseNode(ByteBuffer.wrap(payload)).names().length;
            } catch (final Rejection e) {
                throw new IllegalStateException("the benchmark's payload was refused", e);
            }
            parsed++;
            now = System.nanoTime();
        } while (now - start < ROUND_NANOS);
        if (metrics == 0) {
            throw new IllegalStateException("nothing parsed");
        }
        return (now - start) / 1_000.0 / parsed;
    }

    private static byte[] node(final int width) {
        final StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < width; i++) {
            json.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":1.5");
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
