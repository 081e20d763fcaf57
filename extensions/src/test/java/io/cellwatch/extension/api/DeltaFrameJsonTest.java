package io.cellwatch.extension.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellwatch.extension.live.DeltaSample;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaFrameJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SeriesCatalog catalog = new SeriesCatalog();

    private Series series(final String node, final String metric, final double value, final long seq) {
        final Series series = catalog.internSeries(catalog.internNode(List.of(node.split("/"))), metric);
        series.offer(new Sample(value, 1_700_000_000_000L, 1_700_000_000_001L, seq));
        return series;
    }

    private static JsonNode frame(final String path, final DeltaSample... samples) throws Exception {
        return JSON.readTree(ApiJson.DELTA.frame(path, List.of(samples)));
    }

    @Test
    void aFrameWithinATenantNamesEachSampleByItsAlias() throws Exception {
        final Series voltage = series("tenants/acme/plants/p1/cells/1", "voltage", 3.71, 7);
        final Series temperature = series("tenants/acme/plants/p1/cells/1", "temperature", 24.5, -1);

        final JsonNode json = frame("tenants/acme/plants/p1", ApiJson.DELTA.sample(voltage, false),
                ApiJson.DELTA.sample(temperature, false));

        assertThat(json.get("type").asText()).isEqualTo("delta");
        assertThat(json.get("path").asText()).isEqualTo("tenants/acme/plants/p1");
        assertThat(json.has("series")).as("nothing to announce").isFalse();
        assertThat(json.get("t").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(json.get("samples").toString())
                .as("alias, value, ts - t, and seq only when the gateway sent one")
                .isEqualTo("[[0,3.71,0,7],[1,24.5,0]]");
    }

    @Test
    void aFrameAnnouncingASeriesGivesTheKeyOfItsAliasRelativeToThePath() throws Exception {
        final Series known = series("tenants/acme/plants/p1/cells/1", "voltage", 3.71, 7);
        final Series fresh = series("tenants/acme/plants/p1/cells/2", "voltage", 3.69, 7);

        final JsonNode json = frame("tenants/acme", ApiJson.DELTA.sample(known, false),
                ApiJson.DELTA.sample(fresh, true));

        assertThat(json.get("series").toString()).isEqualTo("{\"1\":\"plants/p1/cells/2/voltage\"}");
        assertThat(json.get("samples").get(1).get(0).asInt()).isEqualTo(1);
    }

    @Test
    void eachSampleCarriesItsTsAsTheDifferenceFromTheFramesFirst() throws Exception {
        final Series early = series("tenants/acme/plants/p1", "soc", 80, -1);
        final Series late = catalog.internSeries(catalog.internNode(List.of("tenants", "acme", "plants", "p2")), "soc");
        late.offer(new Sample(81, 1_700_000_000_250L, 1_700_000_000_251L, -1));
        final Series earlier = catalog.internSeries(catalog.internNode(List.of("tenants", "acme", "plants", "p3")),
                "soc");
        earlier.offer(new Sample(82, 1_699_999_999_000L, 1_700_000_000_251L, -1));

        final JsonNode json = frame("tenants/acme", ApiJson.DELTA.sample(early, false),
                ApiJson.DELTA.sample(late, false), ApiJson.DELTA.sample(earlier, false));

        assertThat(json.get("t").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(json.get("samples").toString()).isEqualTo("[[0,80.0,0],[1,81.0,250],[2,82.0,-1000]]");
    }

    @Test
    void aliasesAreNumberedPerTenant() {
        series("tenants/acme/plants/p1", "soc", 80, -1);
        series("tenants/acme/plants/p2", "soc", 81, -1);

        assertThat(series("tenants/nordvolt/plants/p1", "soc", 82, -1).alias())
                .as("nordvolt's first series, whatever acme has").isZero();
    }

    @Test
    void aFrameAboveTheTenantsNamesSeriesByKeyRelativeToItsPath() throws Exception {
        final Series voltage = series("tenants/acme/plants/p1/cells/1", "voltage", 3.71, 7);

        assertThat(frame("", ApiJson.DELTA.sample(voltage, true)).get("samples").toString())
                .isEqualTo("[[\"tenants/acme/plants/p1/cells/1/voltage\",3.71,0,7]]");
        assertThat(frame("tenants", ApiJson.DELTA.sample(voltage, true)).get("samples").get(0).get(0).asText())
                .isEqualTo("acme/plants/p1/cells/1/voltage");
        assertThat(frame("tenants", ApiJson.DELTA.sample(voltage, true)).has("series")).isFalse();
    }

    @Test
    void keysNeedingEscapesStayValidJson() throws Exception {
        final Series odd = series("tenants/a\"b/plants/p\u00e9", "soc", 80, -1);

        final JsonNode json = frame("tenants/a\"b", ApiJson.DELTA.sample(odd, true));

        assertThat(json.get("path").asText()).isEqualTo("tenants/a\"b");
        assertThat(json.get("series").get("0").asText()).isEqualTo("plants/p\u00e9/soc");
        assertThat(frame("", ApiJson.DELTA.sample(odd, true)).get("samples").get(0).get(0).asText())
                .isEqualTo(odd.key());
    }

    @Test
    void aLiveSnapshotGivesEachSampleItsAliasAndTheRestSnapshotDoesNot() throws Exception {
        final Series first = series("tenants/acme/plants/p1", "soc", 80, -1);
        final Series second = series("tenants/acme/plants/p1", "voltage", 3.7, 4);

        final JsonNode live = JSON.readTree(ApiJson.liveSnapshot("tenants/acme", List.of(first, second)));
        final JsonNode rest = JSON.readTree(ApiJson.snapshot("tenants/acme", List.of(first, second)));

        assertThat(live.get("samples").get(1).get("n").asInt()).isEqualTo(1);
        assertThat(live.get("samples").get(1).get("series").asText()).isEqualTo(second.key());
        assertThat(rest.get("samples").get(1).has("n")).isFalse();
    }

    @Test
    void anEmptyFrameIsStillValidJson() throws Exception {
        assertThat(frame("tenants/acme").get("samples")).isEmpty();
    }

    @Test
    void aSeriesWithoutAValueHasNoSample() {
        final Series empty = catalog.internSeries(catalog.internNode(List.of("tenants", "acme", "plants", "p1")),
                "soc");

        assertThat(ApiJson.DELTA.sample(empty, true)).isNull();
    }
}
