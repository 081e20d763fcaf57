package io.cellwatch.edge.buffer;

import io.cellwatch.edge.config.BufferSettings;
import io.cellwatch.edge.source.NodeReading;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiskBufferTest {

    private static final String CELL = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1";

    @TempDir
    Path dir;

    private DiskBuffer open() {
        return DiskBuffer.open(new BufferSettings(dir, 1L << 30));
    }

    private static NodeReading reading(final double voltage) {
        return new NodeReading(CELL, List.of("voltage"), new double[]{voltage}, 1_764_000_000_000L);
    }

    private static List<BufferedPublish> drain(final DiskBuffer.Reader reader) {
        final List<BufferedPublish> out = new ArrayList<>();
        for (BufferedPublish p = reader.next(); p != null; p = reader.next()) {
            out.add(p);
        }
        return out;
    }

    @Test
    void writesTheNodePayloadWithTsAndAnIncreasingSeq() {
        try (DiskBuffer buffer = open(); DiskBuffer.Reader reader = buffer.reader()) {
            buffer.append(reading(3.5));
            buffer.append(reading(3.6));

            assertThat(drain(reader)).extracting(BufferedPublish::topic, BufferedPublish::payload).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(CELL, "{\"voltage\":3.5,\"ts\":1764000000000,\"seq\":0}"),
                    org.assertj.core.groups.Tuple.tuple(CELL, "{\"voltage\":3.6,\"ts\":1764000000000,\"seq\":1}"));
        }
    }

    @Test
    void seqContinuesAcrossRestarts() {
        try (DiskBuffer buffer = open()) {
            for (int i = 0; i < 3; i++) {
                buffer.append(reading(i));
            }
        }
        try (DiskBuffer buffer = open()) {
            assertThat(buffer.append(reading(9))).isEqualTo(3);
        }
    }

    @Test
    void resumesAfterThePersistedAcknowledgedPositionAfterRestart() {
        try (DiskBuffer buffer = open(); DiskBuffer.Reader reader = buffer.reader()) {
            for (int i = 0; i < 5; i++) {
                buffer.append(reading(i));
            }
            final List<BufferedPublish> all = drain(reader);
            buffer.acknowledged(all.get(1).index(), all.get(1).seq());
            assertThat(buffer.depth()).isEqualTo(3);
        }
        try (DiskBuffer buffer = open(); DiskBuffer.Reader reader = buffer.reader()) {
            assertThat(buffer.depth()).isEqualTo(3);
            assertThat(drain(reader)).extracting(BufferedPublish::seq).containsExactly(2L, 3L, 4L);
        }
    }

    @Test
    void rewindSendsEverythingAfterTheAcknowledgedPositionAgain() {
        try (DiskBuffer buffer = open(); DiskBuffer.Reader reader = buffer.reader()) {
            for (int i = 0; i < 4; i++) {
                buffer.append(reading(i));
            }
            final List<BufferedPublish> first = drain(reader);
            buffer.acknowledged(first.get(0).index(), first.get(0).seq());

            reader.rewindToAcked();

            assertThat(drain(reader)).extracting(BufferedPublish::seq).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void keepsTheNextSeqAboveTheAcknowledgedOneWhenTheQueueFilesAreGone() throws Exception {
        try (DiskBuffer buffer = open(); DiskBuffer.Reader reader = buffer.reader()) {
            for (int i = 0; i < 3; i++) {
                buffer.append(reading(i));
            }
            final List<BufferedPublish> all = drain(reader);
            buffer.acknowledged(all.get(2).index(), all.get(2).seq());
        }
        try (var files = java.nio.file.Files.list(dir.resolve("queue"))) {
            for (final Path f : files.toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        try (DiskBuffer buffer = open()) {
            assertThat(buffer.append(reading(1))).isEqualTo(3);
        }
    }

    @Test
    void dropsTheOldestUnsentCyclesWhenFullCountsThemAndKeepsTheNewest() {
        final SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-12-02T00:00:00Z"));
        try (DiskBuffer buffer = DiskBuffer.open(new BufferSettings(dir, 1L << 20), time);
             DiskBuffer.Reader reader = buffer.reader()) {
            appendAcrossThreeCycles(buffer, time);

            assertThat(buffer.trim()).isTrue();

            assertThat(buffer.dropped()).isEqualTo(20);
            assertThat(buffer.depth()).isEqualTo(5);
            reader.rewindToAcked();
            assertThat(drain(reader)).extracting(BufferedPublish::seq).containsExactly(20L, 21L, 22L, 23L, 24L);
        }
    }

    @Test
    void deletesOnlyAcknowledgedCyclesWhileWithinTheBound() throws Exception {
        final SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-12-02T00:00:00Z"));
        try (DiskBuffer buffer = DiskBuffer.open(new BufferSettings(dir, 1L << 30), time);
             DiskBuffer.Reader reader = buffer.reader()) {
            appendAcrossThreeCycles(buffer, time);
            final BufferedPublish firstOfSecondCycle = drain(reader).get(10);
            buffer.acknowledged(firstOfSecondCycle.index(), firstOfSecondCycle.seq());

            assertThat(buffer.trim()).isFalse();

            assertThat(buffer.dropped()).isZero();
            try (var files = java.nio.file.Files.list(dir.resolve("queue"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".cq4")).count()).isEqualTo(2);
            }
            reader.rewindToAcked();
            assertThat(drain(reader)).extracting(BufferedPublish::seq).hasSize(14).startsWith(11L).endsWith(24L);
        }
    }

    /** Seq 0-9 in one 5-minute cycle, 10-19 in the next, 20-24 in the current one. */
    private static void appendAcrossThreeCycles(final DiskBuffer buffer, final SetTimeProvider time) {
        for (int i = 0; i < 25; i++) {
            if (i == 10 || i == 20) {
                time.currentTimeMillis(time.currentTimeMillis() + 300_000);
            }
            buffer.append(reading(i));
        }
    }
}
