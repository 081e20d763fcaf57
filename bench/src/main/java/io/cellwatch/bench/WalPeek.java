package io.cellwatch.bench;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Reads the {@code seq} of the publish record at a given WAL index, with its own queue handle and tailer on the
 * WAL folder — outside the production code, which never hands out indexes. Relies on the documented record layout
 * ({@code io.cellwatch.extension.wal.WalFormat}: type byte {@code 'P'}, int gatewayId, long seq, …).
 * Single-threaded.
 */
final class WalPeek implements AutoCloseable {

    /** Returned for an index that holds no publish (a series or gateway definition) or cannot be read. */
    static final long NONE = -1;

    private static final byte PUBLISH = 'P';

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;

    WalPeek(final Path walDir) {
        // Same roll cycle as io.cellwatch.extension.wal.Wal; Chronicle would take the stored one anyway.
        this.queue = SingleChronicleQueueBuilder.binary(walDir.toFile()).rollCycle(RollCycles.TEN_MINUTELY).build();
        this.tailer = queue.createTailer();
    }

    /** The {@code seq} of the publish at {@code index}, or {@link #NONE}. */
    long seqAt(final long index) {
        if (index < 0 || !tailer.moveToIndex(index)) {
            return NONE;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || dc.index() != index) {
                return NONE;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            if (bytes.readByte() != PUBLISH) {
                return NONE;
            }
            bytes.readInt();
            return bytes.readLong();
        }
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
