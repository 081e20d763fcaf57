package io.cellwatch.extension.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LiveSnapshotTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SeriesCatalog catalog = new SeriesCatalog();

    private Series series(final String metric, final double value) {
        final Series series = catalog.internSeries(catalog.internNode(List.of("tenants", "acme", "plants", "p1")),
                metric);
        series.offer(new Sample(value, 1_700_000_000_000L, 1_700_000_000_001L, -1));
        return series;
    }

    private static List<JsonNode> frames(final LiveSnapshot snapshot) throws Exception {
        final List<JsonNode> frames = new ArrayList<>();
        while (snapshot.hasNext()) {
            frames.add(JSON.readTree(StandardCharsets.UTF_8.decode(snapshot.next()).toString()));
        }
        return frames;
    }

    @Test
    void aSubtreeLargerThanAPageComesAsASnapshotThenPagesMarkedMoreButTheLast() throws Exception {
        final List<Series> under = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            under.add(series("m" + i, i));
        }

        final List<JsonNode> frames = frames(new LiveSnapshot("tenants/acme", under, 2));

        assertThat(frames).extracting(f -> f.path("type").asText())
                .containsExactly("snapshot", "snapshot-page", "snapshot-page");
        assertThat(frames).extracting(f -> f.path("more").asBoolean(false)).containsExactly(true, true, false);
        assertThat(frames).extracting(f -> f.path("samples").size()).containsExactly(2, 2, 1);
        assertThat(frames).allSatisfy(f -> assertThat(f.path("path").asText()).isEqualTo("tenants/acme"));
        assertThat(frames.get(2).path("samples").get(0).path("n").asInt()).isEqualTo(under.get(4).alias());
    }

    @Test
    void valuesAreThoseOfWhenTheSnapshotWasTakenAndSeriesWithoutOneAreLeftOut() throws Exception {
        final Series soc = series("soc", 80);
        final Series empty = catalog.internSeries(catalog.internNode(List.of("tenants", "acme", "plants", "p1")),
                "empty");
        final LiveSnapshot snapshot = new LiveSnapshot("tenants/acme", List.of(soc, empty), 10);
        soc.offer(new Sample(81, 1_700_000_001_000L, 1_700_000_001_001L, -1));

        final List<JsonNode> frames = frames(snapshot);

        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.path("samples")).hasSize(1);
            assertThat(f.path("samples").get(0).path("value").asDouble()).isEqualTo(80.0);
            assertThat(f.has("more")).isFalse();
        });
    }

    @Test
    void anEmptySubtreeStillAnswersWithOneEmptySnapshot() throws Exception {
        assertThat(frames(new LiveSnapshot("tenants/acme/plants/none", List.of(), 10))).singleElement()
                .satisfies(f -> assertThat(f.path("samples")).isEmpty());
    }
}
