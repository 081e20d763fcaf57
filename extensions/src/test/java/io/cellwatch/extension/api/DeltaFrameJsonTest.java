package io.cellwatch.extension.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaFrameJsonTest {

    private final SeriesCatalog catalog = new SeriesCatalog();

    private Series series(final String node, final String metric) {
        return catalog.internSeries(catalog.internNode(List.of(node.split("/"))), metric);
    }

    private Series voltage() {
        final Series voltage = series("tenants/acme/plants/p1/cells/1", "voltage");
        voltage.offer(new Sample(3.71, 1_700_000_000_000L, 1_700_000_000_001L, 7));
        return voltage;
    }

    private Series temperature() {
        final Series temperature = series("tenants/acme/plants/p1/cells/1", "temperature");
        temperature.offer(new Sample(24.5, 1_700_000_000_000L, 1_700_000_000_001L, -1));
        return temperature;
    }

    private static JsonNode frame(final String path, final Series... series) throws Exception {
        final List<byte[]> samples = Arrays.stream(series).map(ApiJson.DELTA::sample).toList();
        return new ObjectMapper().readTree(ApiJson.DELTA.frame(path, samples));
    }

    @Test
    void joinsSeparatelyEncodedSamplesIntoOneValidDeltaFrame() throws Exception {
        final JsonNode json = frame("tenants/acme", voltage(), temperature());

        assertThat(json.get("type").asText()).isEqualTo("delta");
        assertThat(json.get("path").asText()).isEqualTo("tenants/acme");
        assertThat(json.get("samples")).hasSize(2);
        assertThat(json.get("samples").get(0).toString())
                .isEqualTo("[\"plants/p1/cells/1/voltage\",3.71,1700000000000,7]");
        assertThat(json.get("samples").get(1).toString())
                .as("no seq when the gateway sent none")
                .isEqualTo("[\"plants/p1/cells/1/temperature\",24.5,1700000000000]");
    }

    @Test
    void keysAreWholeInAFrameForEverything() throws Exception {
        final JsonNode json = frame("", voltage());

        assertThat(json.get("samples").get(0).get(0).asText()).isEqualTo("tenants/acme/plants/p1/cells/1/voltage");
    }

    @Test
    void aSeriesWatchedByItsOwnKeyHasAnEmptyRelativeKey() throws Exception {
        final Series voltage = voltage();

        final JsonNode json = frame(voltage.key(), voltage);

        assertThat(json.get("samples").get(0).get(0).asText()).isEmpty();
        assertThat(json.get("samples").get(0).get(1).asDouble()).isEqualTo(3.71);
    }

    @Test
    void aPathNeedingEscapesIsCutAtTheSameCharacter() throws Exception {
        final Series odd = series("tenants/a\"b/plants/p\u00e9", "soc");
        odd.offer(new Sample(80, 1L, 1L, -1));

        final JsonNode json = frame("tenants/a\"b", odd);

        assertThat(json.get("path").asText()).isEqualTo("tenants/a\"b");
        assertThat(json.get("samples").get(0).get(0).asText()).isEqualTo("plants/p\u00e9/soc");
    }

    @Test
    void anEmptyFrameIsStillValidJson() throws Exception {
        assertThat(frame("tenants/acme").get("samples")).isEmpty();
    }

    @Test
    void aSeriesWithoutAValueHasNoSample() {
        assertThat(ApiJson.DELTA.sample(series("tenants/acme/plants/p1", "soc"))).isNull();
    }
}
