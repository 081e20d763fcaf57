package io.cellwatch.extension.export;

import io.cellwatch.extension.cluster.ClusterRecord;
import io.cellwatch.extension.cluster.ClusterRecordCodec;
import io.cellwatch.extension.cluster.ClusterTopics;
import io.cellwatch.extension.config.ClusterSettings;
import io.cellwatch.extension.ingest.Gateway;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.wal.Wal;
import io.cellwatch.extension.wal.WalEntry;
import io.cellwatch.extension.wal.WalReader;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Exports this ingest node's WAL to Kafka, exactly once: one thread tails the WAL and sends each batch of publishes
 * and gateway state changes in one Kafka transaction that also writes the WAL index it reached to the
 * export-positions topic. After a crash, {@code initTransactions} aborts whatever transaction was open and the export
 * resumes after the last committed position; a Kafka outage stops the export, not the ingest (the WAL holds the
 * backlog) and the exporter reconnects with growing pauses. The WAL keeps every cycle not yet exported.
 */
public final class WalExporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalExporter.class);
    private static final int MAX_BATCH = 20_000;
    private static final long BATCH_INTERVAL_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(15);

    private final Wal wal;
    private final SeriesCatalog catalog;
    private final GatewayRegistry gateways;
    private final ClusterSettings settings;
    private final Thread thread;
    private final Counter records;
    private final Counter samples;
    private final Counter failures;
    private final Histogram commitLag;
    private volatile boolean stopping;
    private volatile boolean connected;
    private volatile long exported = Long.MIN_VALUE;
    private volatile long caughtUpNanos = System.nanoTime();
    private volatile boolean caughtUp;

    public WalExporter(final Wal wal, final SeriesCatalog catalog, final GatewayRegistry gateways,
                       final ClusterSettings settings, final Metrics metrics) {
        this.wal = wal;
        this.catalog = catalog;
        this.gateways = gateways;
        this.settings = settings;
        this.records = metrics.counter("cellwatch_export_records_total",
                "WAL records (publishes and gateway state changes) committed to Kafka");
        this.samples = metrics.counter("cellwatch_export_samples_total", "Samples committed to Kafka");
        this.failures = metrics.counter("cellwatch_export_failures_total",
                "Export transactions that failed (Kafka unreachable, timed out, ...); the batch is sent again");
        this.commitLag = metrics.seconds("cellwatch_export_commit_seconds",
                "Per committed export transaction, from the oldest publish in it being accepted until the"
                        + " transaction is committed to Kafka");
        metrics.gauge("cellwatch_export_lag_seconds", "Seconds the exporter has had WAL records pending without a"
                + " break (0 while caught up): at least the age of the oldest record not yet in Kafka",
                this::lagSeconds);
        metrics.gauge("cellwatch_export_connected", "1 while the exporter holds a working Kafka producer",
                () -> connected ? 1 : 0);
        this.thread = new Thread(this::run, "cellwatch-wal-exporter");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The WAL index of the last record committed to Kafka; {@link Long#MIN_VALUE} until it was read from Kafka. */
    public long exported() {
        return exported;
    }

    /** Seconds the exporter has had work pending without a break; 0 while caught up. */
    public double lagSeconds() {
        return caughtUp ? 0 : Metrics.seconds(caughtUpNanos, System.nanoTime());
    }

    /** Whether the exporter thread runs. */
    public boolean alive() {
        return thread.isAlive() && !stopping;
    }

    private void run() {
        long backoff = 100;
        while (!stopping) {
            KafkaProducer<byte[], byte[]> producer = null;
            try {
                producer = connect();
                final long position = ExportPositions.read(settings, KAFKA_TIMEOUT);
                exported = position;
                connected = true;
                log.info("exporting the WAL to Kafka topic {} after index {}", settings.samplesTopic(), position);
                backoff = 100;
                exportFrom(producer, position);
            } catch (final ProducerFencedException e) {
                log.error("another node exports as node.id '{}'; this node stops exporting (node ids must be unique)",
                        settings.nodeId(), e);
                connected = false;
                return;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (final RuntimeException | java.util.concurrent.ExecutionException
                           | java.util.concurrent.TimeoutException e) {
                // Kafka unreachable or timed out, or a state the client refuses to go on from: a fresh producer.
                connected = false;
                failures.inc();
                log.warn("exporting to Kafka failed ({}); the WAL keeps the backlog, retrying in {} ms", e.toString(),
                        backoff);
                try {
                    Thread.sleep(backoff);
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            } finally {
                if (producer != null) {
                    // Bounded: with Kafka gone, close() would wait for ever for requests that cannot complete.
                    producer.close(CLOSE_TIMEOUT);
                }
            }
        }
        connected = false;
    }

    private KafkaProducer<byte[], byte[]> connect() throws InterruptedException,
            java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        ClusterTopics.ensure(settings, KAFKA_TIMEOUT.toMillis());
        final Properties properties = settings.kafkaProperties();
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cellwatch-export-" + settings.nodeId());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(KAFKA_TIMEOUT.toMillis()));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(KAFKA_TIMEOUT.toMillis()));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        // A node that dies with a transaction open holds its partitions' read_committed consumers (the serving nodes)
        // until it restarts or the coordinator aborts the transaction after this timeout; a batch takes milliseconds.
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties);
        try {
            // Fences an older incarnation of this node and aborts the transaction it left open.
            producer.initTransactions();
            return producer;
        } catch (final RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    private void exportFrom(final KafkaProducer<byte[], byte[]> producer, final long position)
            throws InterruptedException {
        final List<WalEntry> batch = new ArrayList<>();
        try (WalReader reader = wal.readerAfter(position)) {
            while (!stopping) {
                batch.clear();
                final long polled = System.nanoTime();
                final int read = reader.poll(MAX_BATCH, batch);
                if (read == 0) {
                    caughtUp = true;
                    caughtUpNanos = polled;
                    Thread.sleep(BATCH_INTERVAL_MILLIS / 5);
                    continue;
                }
                if (caughtUp) {
                    caughtUp = false;
                    caughtUpNanos = polled;
                }
                send(producer, batch);
                if (read < MAX_BATCH) {
                    caughtUp = true;
                    caughtUpNanos = polled;
                    final long left = BATCH_INTERVAL_MILLIS - (System.nanoTime() - polled) / 1_000_000;
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                }
            }
        }
    }

    /**
     * Sends {@code batch} in one transaction. On failure the exception goes to {@link #run}, which closes the
     * producer: the next producer's {@code initTransactions()} aborts the open transaction (an explicit abort is not
     * always allowed, e.g. after a commit that timed out), and the batch is sent again from the committed position.
     */
    private void send(final KafkaProducer<byte[], byte[]> producer, final List<WalEntry> batch) {
        producer.beginTransaction();
        long oldest = Long.MAX_VALUE;
        long sentRecords = 0;
        long sentSamples = 0;
        for (final WalEntry entry : batch) {
            final ClusterRecord record = recordOf(entry);
            if (record == null) {
                continue;
            }
            if (record instanceof ClusterRecord.Publish p) {
                oldest = Math.min(oldest, p.receivedAt());
                sentSamples += p.size();
            }
            producer.send(new ProducerRecord<>(settings.samplesTopic(), ClusterRecordCodec.key(record),
                    ClusterRecordCodec.encode(record)));
            sentRecords++;
        }
        final long last = batch.get(batch.size() - 1).index();
        producer.send(new ProducerRecord<>(settings.positionsTopic(), ExportPositions.key(settings.nodeId()),
                ExportPositions.value(last)));
        producer.commitTransaction();
        exported = last;
        records.inc(sentRecords);
        samples.inc(sentSamples);
        if (oldest != Long.MAX_VALUE) {
            commitLag.observe(Math.max(0, System.currentTimeMillis() - oldest) / 1000.0);
        }
    }

    /** The self-describing record of {@code entry}, or {@code null} for definitions and alerts (not exported). */
    private ClusterRecord recordOf(final WalEntry entry) {
        if (entry instanceof WalEntry.PublishRecorded p) {
            final Gateway gateway = gateways.byId(p.gatewayId());
            final String[] keys = new String[p.size()];
            for (int i = 0; i < keys.length; i++) {
                final Series series = catalog.byId(p.seriesIds()[i]);
                if (series == null || gateway == null) {
                    throw new IllegalStateException("WAL record " + p.index() + " names an unknown series or gateway");
                }
                keys[i] = series.key();
            }
            return new ClusterRecord.Publish(gateway.key(), p.seq(), p.ts(), p.receivedAt(), keys, p.values());
        }
        if (entry instanceof WalEntry.GatewayStateChanged g) {
            final Gateway gateway = gateways.byId(g.gatewayId());
            return gateway == null ? null : new ClusterRecord.GatewayState(gateway.key(), g.state(), g.cause(),
                    g.atMs());
        }
        if (entry instanceof WalEntry.RetainedMeta m) {
            return new ClusterRecord.RetainedMeta(m.topic(), m.payload());
        }
        if (entry instanceof WalEntry.GatewayHealthReported h) {
            final Gateway gateway = gateways.byId(h.gatewayId());
            return gateway == null ? null : new ClusterRecord.GatewayHealthReport(gateway.key(), h.report());
        }
        return null;
    }

    /** Stops the export (what is not yet in Kafka stays in the WAL for the next start). Idempotent. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(KAFKA_TIMEOUT.toMillis() + 5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
