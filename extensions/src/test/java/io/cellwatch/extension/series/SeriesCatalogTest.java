package io.cellwatch.extension.series;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesCatalogTest {

    private final SeriesCatalog catalog = new SeriesCatalog();

    private static List<String> levels(final String path) {
        return List.of(path.split("/"));
    }

    private SeriesNode node(final String path) {
        return catalog.internNode(levels(path));
    }

    private Series series(final String nodePath, final String metric) {
        return catalog.internSeries(node(nodePath), metric);
    }

    private static List<String> keys(final List<Series> series) {
        return series.stream().map(Series::key).toList();
    }

    // --- nodes --------------------------------------------------------------------------------------------------

    @Test
    void internNodeReturnsNodeWithPathLevelAndId() {
        final SeriesNode rack = node("tenants/t1/plants/p1/racks/r1");

        assertThat(rack.path()).isEqualTo("tenants/t1/plants/p1/racks/r1");
        assertThat(rack.level()).isEqualTo("racks");
        assertThat(rack.id()).isEqualTo("r1");
    }

    @Test
    void internNodeCreatesEveryAncestor() {
        node("tenants/t1/plants/p1/racks/r1");

        assertThat(catalog.node("tenants/t1")).isNotNull();
        assertThat(catalog.node("tenants/t1/plants/p1")).isNotNull();
        assertThat(catalog.node("tenants/t1/plants/p1/racks/r1")).isNotNull();
    }

    @Test
    void internNodeLinksAncestorsIntoATree() {
        node("tenants/t1/plants/p1/racks/r1");

        final SeriesNode tenant = catalog.root().children().get(0);
        final SeriesNode plant = tenant.children().get(0);
        final SeriesNode rack = plant.children().get(0);
        assertThat(catalog.root().children()).hasSize(1);
        assertThat(tenant.path()).isEqualTo("tenants/t1");
        assertThat(plant.path()).isEqualTo("tenants/t1/plants/p1");
        assertThat(rack.path()).isEqualTo("tenants/t1/plants/p1/racks/r1");
        assertThat(rack.children()).isEmpty();
    }

    @Test
    void internNodeReturnsTheSameInstanceForTheSamePath() {
        assertThat(node("tenants/t1/plants/p1")).isSameAs(node("tenants/t1/plants/p1"));
    }

    @Test
    void internNodeSharesAncestorsBetweenSiblings() {
        node("tenants/t1/plants/p1");
        node("tenants/t1/plants/p2");

        assertThat(catalog.node("tenants/t1").children()).extracting(SeriesNode::path)
                .containsExactly("tenants/t1/plants/p1", "tenants/t1/plants/p2");
    }

    @Test
    void nodeOfEmptyPathIsTheRoot() {
        assertThat(catalog.node("")).isSameAs(catalog.root());
        assertThat(catalog.root().path()).isEmpty();
    }

    @Test
    void nodeOfUnknownPathIsNull() {
        node("tenants/t1/plants/p1");

        assertThat(catalog.node("tenants/t1/plants/p2")).isNull();
        assertThat(catalog.node("tenants/t1/plants")).isNull();
    }

    @Test
    void internNodeAloneCreatesNoSeries() {
        node("tenants/t1/plants/p1");

        assertThat(catalog.size()).isZero();
    }

    // --- series -------------------------------------------------------------------------------------------------

    @Test
    void internSeriesCreatesSeriesKeyedByItsTopic() {
        final Series voltage = series("tenants/t1/plants/p1/cells/7", "voltage");

        assertThat(voltage.key()).isEqualTo("tenants/t1/plants/p1/cells/7/voltage");
        assertThat(voltage.metric()).isEqualTo("voltage");
        assertThat(voltage.node()).isSameAs(catalog.node("tenants/t1/plants/p1/cells/7"));
        assertThat(voltage.latest()).isNull();
        assertThat(voltage).hasToString("tenants/t1/plants/p1/cells/7/voltage");
    }

    @Test
    void internSeriesReturnsTheSameInstanceTwice() {
        final Series first = series("tenants/t1/plants/p1", "soc");
        final Series second = series("tenants/t1/plants/p1", "soc");

        assertThat(second).isSameAs(first);
        assertThat(catalog.size()).isEqualTo(1);
    }

    @Test
    void seriesIsFoundByItsKey() {
        final Series soc = series("tenants/t1/plants/p1", "soc");

        assertThat(catalog.series("tenants/t1/plants/p1/soc")).isSameAs(soc);
        assertThat(catalog.series("tenants/t1/plants/p1/voltage")).isNull();
    }

    @Test
    void seriesHaveDistinctIds() {
        final Series a = series("tenants/t1/plants/p1", "a");
        final Series b = series("tenants/t1/plants/p1", "b");
        final Series c = series("tenants/t2/plants/p1", "a");

        assertThat(List.of(a.id(), b.id(), c.id())).doesNotHaveDuplicates();
    }

    @Test
    void nodeListsItsMetricsSortedByName() {
        series("tenants/t1/plants/p1", "voltage");
        series("tenants/t1/plants/p1", "soc");
        series("tenants/t1/plants/p1", "temperature");

        assertThat(catalog.node("tenants/t1/plants/p1").metrics()).extracting(Series::metric)
                .containsExactly("soc", "temperature", "voltage");
    }

    @Test
    void metricDirectlyUnderTenantHangsOffTheTenantNode() {
        final Series uptime = series("tenants/t1", "uptime");

        assertThat(uptime.key()).isEqualTo("tenants/t1/uptime");
        assertThat(catalog.node("tenants/t1").metrics()).containsExactly(uptime);
    }

    // --- under --------------------------------------------------------------------------------------------------

    @Test
    void underNodeReturnsItsWholeSubtree() {
        final Series plantSoc = series("tenants/t1/plants/p1", "soc");
        final Series cellVoltage = series("tenants/t1/plants/p1/racks/r1/cells/7", "voltage");
        series("tenants/t1/plants/p2", "soc");
        series("tenants/t2/plants/p1", "soc");

        assertThat(catalog.under("tenants/t1/plants/p1")).containsExactlyInAnyOrder(plantSoc, cellVoltage);
    }

    @Test
    void underSeriesKeyReturnsJustThatSeries() {
        final Series voltage = series("tenants/t1/plants/p1/cells/7", "voltage");
        series("tenants/t1/plants/p1/cells/7", "temperature");

        assertThat(catalog.under("tenants/t1/plants/p1/cells/7/voltage")).containsExactly(voltage);
    }

    @Test
    void underUnknownPathReturnsNothing() {
        series("tenants/t1/plants/p1", "soc");

        assertThat(catalog.under("tenants/t1/plants/p9")).isEmpty();
        assertThat(catalog.under("tenants/t1/plants/p1/voltage")).isEmpty();
        assertThat(catalog.under("tenants/t9")).isEmpty();
    }

    @Test
    void underEmptyPathReturnsEverything() {
        series("tenants/t1/plants/p1", "soc");
        series("tenants/t2/plants/p1", "soc");
        series("tenants/t2", "uptime");

        assertThat(keys(catalog.under(""))).containsExactlyInAnyOrder(
                "tenants/t1/plants/p1/soc", "tenants/t2/plants/p1/soc", "tenants/t2/uptime");
    }

    @Test
    void underNodeDoesNotIncludePrefixSiblings() {
        final Series p1 = series("tenants/t1/plants/p1", "soc");
        series("tenants/t1/plants/p10/racks/r1", "soc");

        assertThat(catalog.under("tenants/t1/plants/p1")).containsExactly(p1);
    }

    @Test
    void underNodeWithoutSeriesReturnsNothing() {
        node("tenants/t1/plants/p1");

        assertThat(catalog.under("tenants/t1/plants/p1")).isEmpty();
    }

    // --- Series.isUnder -----------------------------------------------------------------------------------------

    @Test
    void seriesIsUnderItsAncestors() {
        final Series voltage = series("tenants/t1/plants/p1/cells/7", "voltage");

        assertThat(voltage.isUnder("tenants/t1")).isTrue();
        assertThat(voltage.isUnder("tenants/t1/plants/p1")).isTrue();
        assertThat(voltage.isUnder("tenants/t1/plants/p1/cells/7")).isTrue();
    }

    @Test
    void seriesIsUnderItsOwnKey() {
        assertThat(series("tenants/t1/plants/p1", "soc").isUnder("tenants/t1/plants/p1/soc")).isTrue();
    }

    @Test
    void seriesIsUnderTheEmptyPath() {
        assertThat(series("tenants/t1/plants/p1", "soc").isUnder("")).isTrue();
    }

    @Test
    void seriesIsNotUnderAPrefixSibling() {
        final Series p10 = series("tenants/t1/plants/p10/racks/r1", "voltage");

        assertThat(p10.isUnder("tenants/t1/plants/p1")).isFalse();
    }

    @Test
    void seriesIsNotUnderAMetricNamePrefix() {
        assertThat(series("tenants/t1/plants/p1", "socx").isUnder("tenants/t1/plants/p1/soc")).isFalse();
    }

    @Test
    void seriesIsNotUnderAnotherTenant() {
        assertThat(series("tenants/t10/plants/p1", "soc").isUnder("tenants/t1")).isFalse();
    }

    @Test
    void seriesIsNotUnderALongerPath() {
        assertThat(series("tenants/t1/plants/p1", "soc").isUnder("tenants/t1/plants/p1/soc/x")).isFalse();
    }

    // --- Series.offer -------------------------------------------------------------------------------------------

    @Test
    void firstOfferBecomesTheLatest() {
        final Series soc = series("tenants/t1/plants/p1", "soc");
        final Sample sample = new Sample(0.5, 1_000, 1_000, 1);

        assertThat(soc.offer(sample)).isTrue();
        assertThat(soc.latest()).isSameAs(sample);
    }

    @Test
    void newerSampleReplacesTheLatest() {
        final Series soc = series("tenants/t1/plants/p1", "soc");
        soc.offer(new Sample(0.5, 1_000, 1_000, 1));
        final Sample newer = new Sample(0.6, 2_000, 2_000, 2);

        assertThat(soc.offer(newer)).isTrue();
        assertThat(soc.latest()).isSameAs(newer);
    }

    @Test
    void olderSampleDoesNotReplaceANewerOne() {
        final Series soc = series("tenants/t1/plants/p1", "soc");
        final Sample newer = new Sample(0.6, 2_000, 2_000, 2);
        soc.offer(newer);

        assertThat(soc.offer(new Sample(0.5, 1_000, 3_000, 1))).isFalse();
        assertThat(soc.latest()).isSameAs(newer);
    }

    @Test
    void sampleWithTheSameTsReplacesTheLatest() {
        final Series soc = series("tenants/t1/plants/p1", "soc");
        soc.offer(new Sample(0.5, 1_000, 1_000, 1));
        final Sample sameTime = new Sample(0.7, 1_000, 1_001, 2);

        assertThat(soc.offer(sameTime)).isTrue();
        assertThat(soc.latest()).isSameAs(sameTime);
    }

    // --- the internal tenant of the synthetic probe --------------------------------------------------------------

    @Test
    void theInternalTenantIsNeitherInTheTreeNorUnderTheRootButFoundByItsPath() {
        series("tenants/t1/plants/p1", "voltage");
        final Series probe = series("tenants/~cellwatch/probes/e2e", "sample");

        assertThat(catalog.root().children()).extracting(SeriesNode::path).containsExactly("tenants/t1");
        assertThat(keys(catalog.under(""))).containsExactly("tenants/t1/plants/p1/voltage");
        assertThat(catalog.series("tenants/~cellwatch/probes/e2e/sample")).isSameAs(probe);
        assertThat(catalog.byId(probe.id())).isSameAs(probe);
        assertThat(probe.node().internal()).isTrue();
        assertThat(catalog.node("tenants/t1").internal()).isFalse();
    }

    @Test
    void anInternalNodeIsRoutedFromItsTenantDownOnly() {
        assertThat(node("tenants/~cellwatch/probes/e2e").prefixes())
                .containsExactly("tenants/~cellwatch", "tenants/~cellwatch/probes", "tenants/~cellwatch/probes/e2e");
        assertThat(node("tenants/t1/plants/p1").prefixes())
                .containsExactly("", "tenants", "tenants/t1", "tenants/t1/plants", "tenants/t1/plants/p1");
    }

    @Test
    void aRestoredInternalSeriesStaysHidden() {
        final Series restored = catalog.restore(7, "tenants/~cellwatch/probes/e2e/sample");

        assertThat(restored.node().internal()).isTrue();
        assertThat(catalog.under("")).isEmpty();
        assertThat(catalog.root().children()).isEmpty();
    }
}
