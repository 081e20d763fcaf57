package io.cellwatch.edge.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The persisted send position: the queue index up to which every record is acknowledged by the broker, and the
 * {@code seq} of that record. Written to a temporary file, forced to disk and renamed over the old one, so a
 * power cut leaves either the old or the new position, never a torn one. Not thread-safe: one owner.
 *
 * @see DiskBuffer
 */
final class SendPosition {

    /** Index before any record. */
    static final long NONE = -1;

    private final Path file;
    private final Path temp;
    private long ackedIndex = NONE;
    private long ackedSeq = NONE;

    SendPosition(final Path dir) {
        this.file = dir.resolve("send.position");
        this.temp = dir.resolve("send.position.tmp");
        if (Files.exists(file)) {
            try {
                final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
                if (bytes.remaining() != 16) {
                    throw new IOException(file + " is " + bytes.remaining() + " bytes, expected 16");
                }
                ackedIndex = bytes.getLong();
                ackedSeq = bytes.getLong();
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read the send position " + file, e);
            }
        }
    }

    long ackedIndex() {
        return ackedIndex;
    }

    long ackedSeq() {
        return ackedSeq;
    }

    /** Persists a new position; no-op when nothing changed. */
    void store(final long newAckedIndex, final long newAckedSeq) {
        if (newAckedIndex == ackedIndex && newAckedSeq == ackedSeq) {
            return;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(16).putLong(newAckedIndex).putLong(newAckedSeq).flip();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the send position " + temp, e);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot replace the send position " + file, e);
        }
        ackedIndex = newAckedIndex;
        ackedSeq = newAckedSeq;
    }
}
