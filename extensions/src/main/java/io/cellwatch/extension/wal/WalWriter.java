package io.cellwatch.extension.wal;

import io.cellwatch.contract.AlertMessage;
import io.cellwatch.extension.ingest.Gateway;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.ingest.PublishSink;
import io.cellwatch.extension.series.Series;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Appends records to the WAL from the publish path. Chronicle appenders are single-threaded, so each broker thread
 * owns one (the broker pins each client to one thread, so a gateway's records stay in publish order). An append is
 * a few microseconds of memory-mapped writing, no system call. Thread-safe.
 */
public final class WalWriter implements PublishSink, AutoCloseable {

    private final SingleChronicleQueue queue;
    private final List<ExcerptAppender> appenders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ExcerptAppender> appender;

    WalWriter(final SingleChronicleQueue queue) {
        this.queue = queue;
        this.appender = ThreadLocal.withInitial(() -> {
            final ExcerptAppender created = this.queue.createAppender();
            appenders.add(created);
            return created;
        });
    }

    /** Records a new series; called before any sample of it is appended. */
    public void seriesCreated(final Series series) {
        try (DocumentContext dc = appender.get().writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeByte(WalFormat.SERIES);
            bytes.writeInt(series.id());
            bytes.writeUtf8(series.key());
        }
    }

    /** Records a new gateway; called before any publish of it is appended. */
    public void gatewayCreated(final Gateway gateway) {
        try (DocumentContext dc = appender.get().writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeByte(WalFormat.GATEWAY);
            bytes.writeInt(gateway.id());
            bytes.writeUtf8(gateway.key().tenant());
            bytes.writeUtf8(gateway.key().user());
            bytes.writeUtf8(gateway.clientId());
        }
    }

    /** Records a change of a gateway's state; the gateway was recorded before ({@link #gatewayCreated}). */
    public void gatewayStateChanged(final int gatewayId, final String state, final String cause, final long atMs) {
        try (DocumentContext dc = appender.get().writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeByte(WalFormat.GATEWAY_STATE);
            bytes.writeInt(gatewayId);
            bytes.writeUtf8(state);
            bytes.writeUtf8(cause);
            bytes.writeLong(atMs);
        }
    }

    /** Records a change of an alert's state. */
    public void alertChanged(final AlertMessage alert) {
        try (DocumentContext dc = appender.get().writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeByte(WalFormat.ALERT);
            bytes.writeUtf8(alert.tenant());
            bytes.writeUtf8(alert.id());
            bytes.writeUtf8(alert.rule());
            bytes.writeUtf8(alert.subject());
            bytes.writeUtf8(alert.severity());
            bytes.writeUtf8(alert.state());
            bytes.writeDouble(alert.value());
            bytes.writeLong(alert.at());
            bytes.writeUtf8(alert.state().equals("acknowledged") ? alert.acknowledgedBy() : "");
        }
    }

    /** Records a gateway's health report (ingest nodes, for the serving nodes); the gateway was recorded before. */
    public void gatewayHealthReported(final int gatewayId, final byte[] report) {
        try (DocumentContext dc = appender.get().writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeByte(WalFormat.GATEWAY_HEALTH);
            bytes.writeInt(gatewayId);
            bytes.writeStopBit(report.length);
            bytes.write(report);
        }
    }

    /** Records a retained {@code meta} publish, or its clear ({@code payload} empty). */
    public void retainedMeta(final String topic, final byte[] payload) {
        try (DocumentContext dc = appender.get().writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeByte(WalFormat.RETAINED_META);
            bytes.writeUtf8(topic);
            bytes.writeStopBit(payload.length);
            bytes.write(payload);
        }
    }

    @Override
    public void accept(final IngestedPublish publish) {
        try (DocumentContext dc = appender.get().writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeByte(publish.source() == null ? WalFormat.PUBLISH : WalFormat.RELAYED_PUBLISH);
            bytes.writeInt(publish.gateway().id());
            bytes.writeLong(publish.seq());
            bytes.writeLong(publish.ts());
            bytes.writeLong(publish.receivedAt());
            bytes.writeStopBit(publish.size());
            for (int i = 0; i < publish.size(); i++) {
                bytes.writeInt(publish.series()[i].id());
                bytes.writeDouble(publish.values()[i]);
            }
            if (publish.source() != null) {
                // One document: the publish and where it came from are appended together or not at all.
                bytes.writeInt(publish.source().partition());
                bytes.writeLong(publish.source().offset());
            }
        }
    }

    /** Releases every thread's appender; the queue itself is closed by {@link Wal}. */
    @Override
    public void close() {
        appenders.forEach(ExcerptAppender::close);
        appenders.clear();
    }
}
