package io.cellwatch.extension.wal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.TimeZone;

/**
 * The write-ahead log: a Chronicle Queue under {@code data/wal}, rolled every ten minutes. Every accepted publish is
 * appended here before the broker acknowledges it; the history writer tails it into DuckDB. A record survives a
 * crash of the JVM (SIGKILL included) once appended: it sits in a memory-mapped file the kernel writes back. Not
 * synced to the device per record, so a power cut can lose the last seconds (see docs/history.md).
 * Thread-safe; owns the queue.
 */
public final class Wal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Wal.class);
    private static final RollCycle ROLL_CYCLE = RollCycles.TEN_MINUTELY;

    private final SingleChronicleQueue queue;

    private Wal(final SingleChronicleQueue queue) {
        this.queue = queue;
    }

    /** Opens (or creates) the WAL in {@code dir}. */
    public static Wal open(final Path dir) {
        return new Wal(SingleChronicleQueueBuilder.binary(dir.toFile()).rollCycle(ROLL_CYCLE).build());
    }

    /** A writer for the publish path. */
    public WalWriter writer() {
        return new WalWriter(queue);
    }

    /** A reader starting after {@code index} ({@code -1}: from the start). Single-threaded. */
    public WalReader readerAfter(final long index) {
        return new WalReader(queue, index);
    }

    /**
     * Deletes every roll-cycle file older than the cycle of {@code index}: the records in them are all at or before
     * {@code index}, i.e. safely in the history database.
     *
     * @return number of files deleted
     */
    public int deleteCyclesBefore(final long index) {
        if (index < 0) {
            return 0;
        }
        final int keepFrom = ROLL_CYCLE.toCycle(index);
        final File[] files = queue.file().listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
        if (files == null) {
            return 0;
        }
        int deleted = 0;
        for (final File file : files) {
            final int cycle = cycleOf(file.getName());
            if (cycle >= 0 && cycle < keepFrom && file.delete()) {
                deleted++;
            }
        }
        if (deleted > 0) {
            queue.refreshDirectoryListing();
            log.debug("deleted {} WAL cycle files before cycle {}", deleted, keepFrom);
        }
        return deleted;
    }

    /** Bytes on disk in the WAL folder. */
    public long diskBytes() {
        final File[] files = queue.file().listFiles();
        long total = 0;
        if (files != null) {
            for (final File file : files) {
                total += file.length();
            }
        }
        return total;
    }

    private static int cycleOf(final String fileName) {
        final String stem = fileName.substring(0, fileName.length() - SingleChronicleQueue.SUFFIX.length());
        final SimpleDateFormat format = new SimpleDateFormat(ROLL_CYCLE.format());
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        try {
            return (int) (format.parse(stem).getTime() / ROLL_CYCLE.lengthInMillis());
        } catch (final ParseException notACycleFile) {
            return -1;
        }
    }

    @Override
    public void close() {
        queue.close();
    }
}
