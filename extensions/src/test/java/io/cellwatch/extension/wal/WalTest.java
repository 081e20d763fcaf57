package io.cellwatch.extension.wal;

import io.cellwatch.extension.ingest.Gateway;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WalTest {

    @TempDir
    Path dir;

    private final List<Series> created = new ArrayList<>();
    private final SeriesCatalog catalog = new SeriesCatalog(created::add);
    private final Gateway gateway = new GatewayRegistry(g -> { }).gateway(new GatewayKey("t1", "pi", "gw-7"));

    private Series series(final String node, final String metric) {
        return catalog.internSeries(catalog.internNode(List.of(node.split("/"))), metric);
    }

    @Test
    void readsBackEveryRecordTypeAsWritten() {
        final Series voltage = series("tenants/t1/plants/p1", "voltage");
        final Series soc = series("tenants/t1/plants/p1", "soc");
        try (Wal wal = Wal.open(dir); WalWriter writer = wal.writer()) {
            writer.gatewayCreated(gateway);
            writer.seriesCreated(voltage);
            writer.seriesCreated(soc);
            writer.accept(new IngestedPublish(gateway, 42, 1_700_000_000_000L, 1_700_000_000_005L,
                    new Series[]{voltage, soc}, new double[]{3.671, 0.82}));

            final List<WalEntry> read = new ArrayList<>();
            try (WalReader reader = wal.readerAfter(-1)) {
                assertThat(reader.poll(100, read)).isEqualTo(4);
            }
            assertThat(read.get(0)).isEqualTo(new WalEntry.GatewayDefined(read.get(0).index(), gateway.id(),
                    new GatewayKey("t1", "pi", "gw-7")));
            assertThat(read.get(1)).isEqualTo(new WalEntry.SeriesDefined(read.get(1).index(), voltage.id(),
                    "tenants/t1/plants/p1/voltage"));
            final WalEntry.PublishRecorded publish = (WalEntry.PublishRecorded) read.get(3);
            assertThat(publish.gatewayId()).isEqualTo(gateway.id());
            assertThat(publish.seq()).isEqualTo(42);
            assertThat(publish.ts()).isEqualTo(1_700_000_000_000L);
            assertThat(publish.receivedAt()).isEqualTo(1_700_000_000_005L);
            assertThat(publish.seriesIds()).containsExactly(voltage.id(), soc.id());
            assertThat(publish.values()).containsExactly(3.671, 0.82);
        }
    }

    @Test
    void readsBackAGatewayHealthReport() {
        final byte[] report = "{\"state\":\"failing\",\"sources\":[]}".getBytes(StandardCharsets.UTF_8);
        try (Wal wal = Wal.open(dir); WalWriter writer = wal.writer()) {
            writer.gatewayCreated(gateway);
            writer.gatewayHealthReported(gateway.id(), report);

            final List<WalEntry> read = new ArrayList<>();
            try (WalReader reader = wal.readerAfter(-1)) {
                assertThat(reader.poll(100, read)).isEqualTo(2);
            }
            final WalEntry.GatewayHealthReported health = (WalEntry.GatewayHealthReported) read.get(1);
            assertThat(health.gatewayId()).isEqualTo(gateway.id());
            assertThat(health.report()).isEqualTo(report);
        }
    }

    @Test
    void readerAfterAnIndexStartsWithTheNextRecord() {
        final Series voltage = series("tenants/t1/plants/p1", "voltage");
        try (Wal wal = Wal.open(dir); WalWriter writer = wal.writer()) {
            for (int seq = 0; seq < 10; seq++) {
                writer.accept(new IngestedPublish(gateway, seq, 1L, 1L, new Series[]{voltage}, new double[]{seq}));
            }
            final List<WalEntry> all = new ArrayList<>();
            try (WalReader reader = wal.readerAfter(-1)) {
                reader.poll(100, all);
            }
            final List<WalEntry> rest = new ArrayList<>();
            try (WalReader reader = wal.readerAfter(all.get(6).index())) {
                reader.poll(100, rest);
            }
            assertThat(rest).extracting(e -> ((WalEntry.PublishRecorded) e).seq()).containsExactly(7L, 8L, 9L);
        }
    }

    @Test
    void recordsSurviveReopeningTheQueue() {
        final Series voltage = series("tenants/t1/plants/p1", "voltage");
        try (Wal wal = Wal.open(dir); WalWriter writer = wal.writer()) {
            writer.accept(new IngestedPublish(gateway, 1, 1L, 1L, new Series[]{voltage}, new double[]{3.5}));
        }
        try (Wal wal = Wal.open(dir); WalReader reader = wal.readerAfter(-1)) {
            final List<WalEntry> read = new ArrayList<>();
            assertThat(reader.poll(10, read)).isEqualTo(1);
            assertThat(((WalEntry.PublishRecorded) read.get(0)).values()).containsExactly(3.5);
        }
    }

    @Test
    void pollReturnsZeroWhenCaughtUp() {
        try (Wal wal = Wal.open(dir); WalReader reader = wal.readerAfter(-1)) {
            assertThat(reader.poll(10, new ArrayList<>())).isZero();
        }
    }

    @Test
    void catalogAnnouncesANewSeriesOnceBeforeItIsVisible() {
        final Series first = series("tenants/t1/plants/p1", "voltage");
        final Series again = series("tenants/t1/plants/p1", "voltage");

        assertThat(again).isSameAs(first);
        assertThat(created).containsExactly(first);
    }

    @Test
    void deletesOnlyCycleFilesOlderThanTheCommittedRecord() throws Exception {
        final Series voltage = series("tenants/t1/plants/p1", "voltage");
        try (Wal wal = Wal.open(dir); WalWriter writer = wal.writer()) {
            writer.accept(new IngestedPublish(gateway, 1, 1L, 1L, new Series[]{voltage}, new double[]{3.5}));
            final List<WalEntry> read = new ArrayList<>();
            try (WalReader reader = wal.readerAfter(-1)) {
                reader.poll(10, read);
            }
            // A cycle file from 2020, long since in DuckDB.
            final Path old = dir.resolve("20200101-0000X.cq4");
            Files.write(old, new byte[]{0});
            final long current;
            try (var files = Files.list(dir)) {
                current = files.filter(f -> f.toString().endsWith(".cq4") && !f.equals(old)).count();
            }

            assertThat(wal.deleteCyclesBefore(read.get(0).index())).isEqualTo(1);
            assertThat(old).doesNotExist();
            try (var files = Files.list(dir)) {
                assertThat(files.filter(f -> f.toString().endsWith(".cq4")).count()).isEqualTo(current);
            }
        }
    }
}
