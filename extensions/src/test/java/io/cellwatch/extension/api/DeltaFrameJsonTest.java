package io.cellwatch.extension.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaFrameJsonTest {

    private final SeriesCatalog catalog = new SeriesCatalog();

    private Series series(final String node, final String metric) {
        return catalog.internSeries(catalog.internNode(List.of(node.split("/"))), metric);
    }

    @Test
    void joinsSeparatelyEncodedSamplesIntoOneValidDeltaFrame() throws Exception {
        final Series voltage = series("tenants/acme/plants/p1/cells/1", "voltage");
        final Series temperature = series("tenants/acme/plants/p1/cells/1", "temperature");
        voltage.offer(new Sample(3.71, 1_700_000_000_000L, 1_700_000_000_001L, 7));
        temperature.offer(new Sample(24.5, 1_700_000_000_000L, 1_700_000_000_001L, -1));

        final byte[] frame = ApiJson.DELTA.frame(new ArrayList<>(List.of(ApiJson.DELTA.sample(voltage),
                ApiJson.DELTA.sample(temperature))));

        final JsonNode json = new ObjectMapper().readTree(frame);
        assertThat(json.get("type").asText()).isEqualTo("delta");
        assertThat(json.get("samples")).hasSize(2);
        assertThat(json.get("samples").get(0).get("series").asText()).isEqualTo(voltage.key());
        assertThat(json.get("samples").get(0).get("value").asDouble()).isEqualTo(3.71);
        assertThat(json.get("samples").get(0).get("seq").asLong()).isEqualTo(7);
        assertThat(json.get("samples").get(1).has("seq")).isFalse();
    }

    @Test
    void anEmptyFrameIsStillValidJson() throws Exception {
        final JsonNode json = new ObjectMapper().readTree(ApiJson.DELTA.frame(List.of()));

        assertThat(json.get("samples")).isEmpty();
    }

    @Test
    void aSeriesWithoutAValueHasNoSample() {
        assertThat(ApiJson.DELTA.sample(series("tenants/acme/plants/p1", "soc"))).isNull();
    }
}
