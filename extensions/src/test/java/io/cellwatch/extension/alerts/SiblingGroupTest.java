package io.cellwatch.extension.alerts;

import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SiblingGroupTest {

    private final SeriesCatalog catalog = new SeriesCatalog();

    private Series cell(final int n) {
        return catalog.internSeries(catalog.internNode(List.of("tenants", "a", "packs", "k", "cells", "" + n)), "v");
    }

    @Test
    void keepsMinMaxAndMeanOfTheLatestValuesWhenExtremesMoveInward() {
        final SiblingGroup group = new SiblingGroup();
        final double[] c1 = group.cell(cell(1));
        final double[] c2 = group.cell(cell(2));
        final double[] c3 = group.cell(cell(3));
        group.update(c1, 3.30);
        group.update(c2, 3.40);
        group.update(c3, 3.35);
        assertThat(group.apply(Aggregate.SPREAD)).isCloseTo(0.10, within(1e-12));

        group.update(c2, 3.36);   // the max moves inward: rescanned
        assertThat(group.apply(Aggregate.MAX)).isEqualTo(3.36);
        group.update(c1, 3.34);   // the min moves inward
        assertThat(group.apply(Aggregate.MIN)).isEqualTo(3.34);
        assertThat(group.apply(Aggregate.SPREAD)).isCloseTo(0.02, within(1e-12));
        assertThat(group.apply(Aggregate.MEAN)).isCloseTo((3.34 + 3.36 + 3.35) / 3, within(1e-12));
        group.update(c3, 3.50);   // a new max
        assertThat(group.apply(Aggregate.SPREAD)).isCloseTo(0.16, within(1e-12));
    }
}
