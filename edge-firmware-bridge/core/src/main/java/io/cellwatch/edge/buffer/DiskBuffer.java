package io.cellwatch.edge.buffer;

import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.SeqRule;
import io.cellwatch.edge.config.BufferSettings;
import io.cellwatch.edge.source.NodeReading;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's disk buffer: every reading is appended (with its {@code seq}) to a Chronicle Queue before anything
 * is sent, and the send position advances only when the broker acknowledged every record up to it. After a link
 * loss, a broker restart, a SIGKILL or a power cut the gateway resumes from the persisted position, in order.
 * <p>
 * {@code seq} is assigned here and survives restarts: it continues after the highest in the queue or in the send
 * position. When the queue files grow past {@code buffer.max-bytes}, the oldest unsent cycle files are dropped,
 * counted in {@link #dropped()} and logged as a warning (the documented policy: the newest data matters most).
 * <p>
 * Thread-safety: {@link #append} may be called from any thread (it is synchronized: an appender is single-threaded);
 * {@link #reader}, {@link #acknowledged} and {@link #trim} belong to the one sending thread.
 */
public final class DiskBuffer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiskBuffer.class);
    private static final RollCycle ROLL_CYCLE = RollCycles.FIVE_MINUTELY;

    private final BufferSettings settings;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final SendPosition position;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private volatile long ackedIndex;
    private volatile long ackedSeq;
    private volatile long nextSeq;

    private DiskBuffer(final BufferSettings settings, final SingleChronicleQueue queue, final SendPosition position) {
        this.settings = settings;
        this.queue = queue;
        this.position = position;
        this.appender = queue.createAppender();
        // append() is synchronized, but sources call it from their own threads (pollers, GPIO events, OPC-UA and
        // MQTT callbacks): Chronicle's owner-thread check would refuse the second thread.
        this.appender.singleThreadedCheckDisabled(true);
        this.ackedIndex = position.ackedIndex();
        this.ackedSeq = position.ackedSeq();
        final long lastSeq = Math.max(lastSeqInQueue(), position.ackedSeq());
        this.nextSeq = lastSeq < 0 ? SeqRule.FIRST : SeqRule.next(lastSeq);
    }

    /** Opens (or creates) the buffer in {@code settings.dir()}. */
    public static DiskBuffer open(final BufferSettings settings) {
        return open(settings, SystemTimeProvider.INSTANCE);
    }

    /** Opens the buffer with the clock that decides its roll cycles (tests move it across cycles). */
    static DiskBuffer open(final BufferSettings settings, final TimeProvider time) {
        try {
            Files.createDirectories(settings.dir());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the buffer folder " + settings.dir(), e);
        }
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(settings.dir().resolve("queue").toFile())
                .rollCycle(ROLL_CYCLE).blockSize(4L << 20).timeProvider(time).build();
        return new DiskBuffer(settings, queue, new SendPosition(settings.dir()));
    }

    /** Appends one node payload and returns its {@code seq}. */
    public synchronized long append(final NodeReading reading) {
        final long seq = nextSeq;
        final String payload = PayloadWriter.node(reading.names(), reading.values(), reading.ts(), seq);
        try (DocumentContext dc = appender.writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(seq);
            bytes.writeUtf8(reading.node());
            bytes.writeUtf8(payload);
        }
        nextSeq = SeqRule.next(seq);
        appended.incrementAndGet();
        return seq;
    }

    /** A reader of the records after the acknowledged position, for the sending thread. */
    public Reader reader() {
        return new Reader(queue.createTailer());
    }

    /** Records every record up to and including {@code index} as acknowledged, and persists it. */
    public void acknowledged(final long index, final long seq) {
        if (index <= ackedIndex) {
            return;
        }
        ackedIndex = index;
        ackedSeq = seq;
        position.store(index, seq);
    }

    /** The index up to which every record is acknowledged. */
    public long ackedIndex() {
        return ackedIndex;
    }

    /** Records not yet acknowledged: {@code seq} numbers every record, one apart. */
    public long depth() {
        return Math.max(0, nextSeq - 1 - ackedSeq);
    }

    /** The {@code seq} of the newest record, or -1 if none was ever written. */
    public long lastSeq() {
        return nextSeq - 1;
    }

    /** Records appended since start. */
    public long appended() {
        return appended.get();
    }

    /** Records dropped unsent because the buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Deletes cycle files whose records are all acknowledged and, while the files exceed {@code buffer.max-bytes},
     * the oldest unsent ones (counted and logged). Never the cycle being written.
     *
     * @return true if unsent records were dropped, so the reader must move past them
     */
    public boolean trim() {
        final File[] files = cycleFiles();
        final int writing = queue.cycle();
        final int ackedCycle = ackedIndex < 0 ? Integer.MIN_VALUE : ROLL_CYCLE.toCycle(ackedIndex);
        long total = Arrays.stream(files).mapToLong(File::length).sum();
        boolean droppedUnsent = false;
        int deleted = 0;
        for (final File file : files) {
            final int cycle = cycleOf(file);
            if (cycle < 0 || cycle >= writing) {
                continue;
            }
            if (cycle < ackedCycle) {
                total -= file.length();
                deleted += file.delete() ? 1 : 0;
            } else if (total > settings.maxBytes()) {
                final long[] lastOfCycle = lastRecord(cycle);
                final long lost = lastOfCycle[1] < 0 ? 0 : lastOfCycle[1] - Math.max(ackedSeq, lastOfCycle[2] - 1);
                dropped.addAndGet(lost);
                log.warn("BUFFER FULL: {} bytes of buffer files exceed buffer.max-bytes = {}; dropped the oldest {} "
                        + "unsent payloads ({} dropped since start)", total, settings.maxBytes(), lost, dropped.get());
                total -= file.length();
                deleted += file.delete() ? 1 : 0;
                if (lastOfCycle[0] >= 0) {
                    acknowledged(lastOfCycle[0], lastOfCycle[1]);
                }
                droppedUnsent = true;
            }
        }
        if (deleted > 0) {
            queue.refreshDirectoryListing();
        }
        return droppedUnsent;
    }

    /** Bytes of the queue files on disk. */
    public long diskBytes() {
        return Arrays.stream(cycleFiles()).mapToLong(File::length).sum();
    }

    private File[] cycleFiles() {
        final File[] files = queue.file().listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
        if (files == null) {
            return new File[0];
        }
        Arrays.sort(files, Comparator.comparing(File::getName));
        return files;
    }

    private static int cycleOf(final File file) {
        final String name = file.getName();
        final String stem = name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length());
        try {
            final java.text.SimpleDateFormat format = new java.text.SimpleDateFormat(ROLL_CYCLE.format());
            format.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
            return (int) (format.parse(stem).getTime() / ROLL_CYCLE.lengthInMillis());
        } catch (final java.text.ParseException notACycleFile) {
            return -1;
        }
    }

    /** Index and seq of the last record of {@code cycle}, and the seq of its first: {-1, -1, -1} if empty. */
    private long[] lastRecord(final int cycle) {
        final long[] out = {-1, -1, -1};
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (!tailer.moveToCycle(cycle)) {
                return out;
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent() || ROLL_CYCLE.toCycle(dc.index()) != cycle) {
                        return out;
                    }
                    out[0] = dc.index();
                    out[1] = dc.wire().bytes().readLong();
                    if (out[2] < 0) {
                        out[2] = out[1];
                    }
                }
            }
        }
    }

    private long lastSeqInQueue() {
        try (ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd();
             DocumentContext dc = tailer.readingDocument()) {
            return dc.isPresent() ? dc.wire().bytes().readLong() : SendPosition.NONE;
        }
    }

    @Override
    public void close() {
        queue.close();
    }

    /** Reads the buffer in order from a position; owned by the sending thread. */
    public final class Reader implements AutoCloseable {

        private final ExcerptTailer tailer;

        private Reader(final ExcerptTailer tailer) {
            this.tailer = tailer;
            rewindToAcked();
        }

        /** Moves back to the first record after the acknowledged position, to send everything after it again. */
        public void rewindToAcked() {
            final long acked = ackedIndex;
            if (acked < 0 || !tailer.moveToIndex(acked)) {
                // Nothing acknowledged yet, or its cycle is gone (deleted as sent): everything left is newer.
                tailer.toStart();
                return;
            }
            try (DocumentContext dc = tailer.readingDocument()) {
                if (dc.isPresent()) {
                    dc.wire().bytes().readPosition(dc.wire().bytes().readLimit());
                }
            }
        }

        /** The next record, or null when the reader has caught up. */
        public BufferedPublish next() {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return null;
                    }
                    if (dc.index() <= ackedIndex) {
                        dc.wire().bytes().readPosition(dc.wire().bytes().readLimit());
                        continue;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long seq = bytes.readLong();
                    final String topic = bytes.readUtf8();
                    final String payload = bytes.readUtf8();
                    return new BufferedPublish(dc.index(), seq, topic, payload);
                }
            }
        }

        @Override
        public void close() {
            tailer.close();
        }
    }
}
