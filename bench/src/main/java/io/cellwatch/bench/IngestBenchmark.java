package io.cellwatch.bench;

import io.cellwatch.extension.metrics.Metrics;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The ingest phases: publishes go through {@code SampleStore.accept} (the WAL append of the publish path) on the
 * calling thread while the store's history writer tails the WAL into DuckDB. Each run ends only after the writer
 * committed everything the run appended, so runs do not overlap. Single-threaded (the caller is the generator).
 */
final class IngestBenchmark {

    /** The history writer's per-batch lag histogram (one value per batch: commit − oldest receivedAt in it). */
    static final String PUMP_LAG = "cellwatch_history_commit_seconds";

    private static final Duration STALL = Duration.ofSeconds(120);
    private static final int SAMPLES_PER_PUBLISH = PackFleet.METRICS.size();

    /**
     * One flat-out run: the generator appends as fast as it can for the run's length, then waits for the writer.
     *
     * @param appendRate    samples appended per second during the run
     * @param committedRate samples committed per second during the run (generator competing for the CPU)
     * @param backlog       samples appended but not yet committed when the run ended
     * @param drainSeconds  time to commit the backlog after the run (generator idle)
     * @param drainRate     samples committed per second while draining
     * @param batches       committed-position moves seen during run and drain (≈ writer batches)
     */
    record SaturationRun(double seconds, long appendedSamples, double appendRate, double committedRate, long backlog,
                         double drainSeconds, double drainRate, long batches) {
    }

    /**
     * One run at a fixed offered rate.
     *
     * @param offeredRate         samples/s the generator was paced to
     * @param appendRate          samples/s actually appended
     * @param committedRate       samples committed per second within the run's window
     * @param lastCommitSeconds   from the run's end until its last publish was seen committed
     * @param lag                 per-publish lag measured by the benchmark (see {@link CommitTracker})
     * @param pumpLag             the writer's own {@value #PUMP_LAG} histogram at the run's end (since start; max is the bucket bound)
     * @param batches             committed-position moves seen (≈ writer batches)
     */
    record PacedRun(double offeredRate, double seconds, long appendedSamples, double appendRate, double committedRate,
                    double lastCommitSeconds, LagSummary lag, PumpLag pumpLag, long batches) {

        double samplesPerBatch() {
            return batches == 0 ? 0 : (double) appendedSamples / batches;
        }
    }

    /** The writer's lag histogram, estimated from its buckets: {@code batches} values since start, in ms. */
    record PumpLag(int batches, double p50, double p99, long max) {
    }

    private final PublishGenerator generator;
    private final CommitTracker tracker;
    private final Metrics metrics;

    IngestBenchmark(final PublishGenerator generator, final CommitTracker tracker, final Metrics metrics) {
        this.generator = generator;
        this.tracker = tracker;
        this.metrics = metrics;
    }

    /** Appends as fast as possible for {@code seconds}, then waits until everything is committed. */
    SaturationRun saturate(final int seconds) throws TimeoutException, InterruptedException {
        final long firstOrdinal = generator.nextOrdinal();
        final long advancesBefore = tracker.advances();
        final long committedBefore = tracker.committedOrdinal();
        final long start = System.nanoTime();
        final long end = start + Duration.ofSeconds(seconds).toNanos();
        do {
            for (int i = 0; i < 64; i++) {
                generator.publish(null);
            }
        } while (System.nanoTime() < end);
        final long stop = System.nanoTime();
        final long committedAtStop = tracker.committedOrdinal();
        final long last = generator.nextOrdinal() - 1;
        final long drained = tracker.awaitCommitted(last, STALL);

        final double runSeconds = (stop - start) / 1e9;
        final long appended = (last - firstOrdinal + 1) * SAMPLES_PER_PUBLISH;
        final long committedInRun = (committedAtStop - committedBefore) * SAMPLES_PER_PUBLISH;
        final long backlog = (last - committedAtStop) * SAMPLES_PER_PUBLISH;
        final double drainSeconds = Math.max(0, drained - stop) / 1e9;
        return new SaturationRun(runSeconds, appended, appended / runSeconds, committedInRun / runSeconds, backlog,
                drainSeconds, drainSeconds == 0 ? 0 : backlog / drainSeconds, tracker.advances() - advancesBefore);
    }

    /**
     * Appends {@code samplesPerSecond} (in publishes of 3 samples, evenly paced) for {@code seconds}, recording every
     * publish's commit lag, then waits until the last is committed.
     */
    PacedRun paced(final double samplesPerSecond, final int seconds) throws TimeoutException, InterruptedException {
        final double publishesPerNano = samplesPerSecond / SAMPLES_PER_PUBLISH / 1e9;
        final long firstOrdinal = generator.nextOrdinal();
        final LagRecorder recorder = new LagRecorder(firstOrdinal,
                (int) Math.ceil(samplesPerSecond / SAMPLES_PER_PUBLISH * seconds) + 1024);
        tracker.attach(recorder);
        final long advancesBefore = tracker.advances();
        final long committedBefore = tracker.committedOrdinal();
        final long start = System.nanoTime();
        final long end = start + Duration.ofSeconds(seconds).toNanos();
        long sent = 0;
        for (long now = start; now < end; now = System.nanoTime()) {
            // Publishes are due evenly; whatever is due is appended now, each stamped when it is appended.
            final long due = (long) ((now - start) * publishesPerNano);
            while (sent < due) {
                generator.publish(recorder);
                sent++;
            }
            LockSupport.parkNanos(100_000);
        }
        final long stop = System.nanoTime();
        final long committedAtStop = tracker.committedOrdinal();
        final long last = generator.nextOrdinal() - 1;
        final long lastCommitted = tracker.awaitCommitted(last, STALL);
        tracker.attach(null);

        final double runSeconds = (stop - start) / 1e9;
        final long appended = sent * SAMPLES_PER_PUBLISH;
        final long committedInRun = (committedAtStop - committedBefore) * SAMPLES_PER_PUBLISH;
        return new PacedRun(samplesPerSecond, runSeconds, appended, appended / runSeconds,
                committedInRun / runSeconds, Math.max(0, lastCommitted - stop) / 1e9, recorder.summary(), pumpLag(),
                tracker.advances() - advancesBefore);
    }

    private PumpLag pumpLag() {
        final String page = new String(metrics.scrape(), java.nio.charset.StandardCharsets.UTF_8);
        final double p50 = MetricsScrape.quantile(page, PUMP_LAG, 0.5);
        if (Double.isNaN(p50)) {
            return new PumpLag(0, 0, 0, 0);
        }
        int batches = 0;
        for (final String line : page.split("\n")) {
            if (line.startsWith(PUMP_LAG + "_count ")) {
                batches = (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new PumpLag(batches, 1000 * p50, 1000 * MetricsScrape.quantile(page, PUMP_LAG, 0.99),
                Math.round(1000 * MetricsScrape.quantile(page, PUMP_LAG, 1.0)));
    }
}
