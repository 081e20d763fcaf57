package io.cellwatch.extension.live;

import io.cellwatch.extension.config.LiveSettings;
import io.cellwatch.extension.series.Series;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionIndexTest {

    private final LiveFixture fixture = new LiveFixture(LiveSettings.defaults());
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final Series voltage = fixture.series("tenants/a/plants/p1/racks/r1/packs/k1/cells/7/voltage");
    private final Series soc = fixture.series("tenants/a/plants/p1/racks/r2/soc");
    private final Series otherPlant = fixture.series("tenants/a/plants/p10/racks/r1/soc");
    private final Series otherTenant = fixture.series("tenants/b/plants/p1/racks/r1/soc");

    private static LiveSubscriber subscriber() {
        // A new instance each time (a non-capturing lambda would be one shared object).
        return new LiveSubscriber() {
            @Override
            public void deliver(final DeltaFrame frame) {
            }
        };
    }

    @Test
    void changedSeriesIsRoutedToEveryWatchedAncestorAndItsOwnKey() {
        final LiveSubscriber all = subscriber();
        final LiveSubscriber tenant = subscriber();
        final LiveSubscriber plant = subscriber();
        final LiveSubscriber pack = subscriber();
        final LiveSubscriber exact = subscriber();
        index.watch(all, "");
        index.watch(tenant, "tenants/a");
        index.watch(plant, "tenants/a/plants/p1");
        index.watch(pack, "tenants/a/plants/p1/racks/r1/packs/k1");
        index.watch(exact, voltage.key());

        final Map<String, List<Series>> routed = index.route(List.of(voltage));

        assertThat(routed).containsOnlyKeys("", "tenants/a", "tenants/a/plants/p1",
                "tenants/a/plants/p1/racks/r1/packs/k1", voltage.key());
        assertThat(routed.values()).allSatisfy(series -> assertThat(series).containsExactly(voltage));
        assertThat(index.watchers("tenants/a/plants/p1")).containsExactly(plant);
        assertThat(index.watchers(voltage.key())).containsExactly(exact);
    }

    @Test
    void siblingWithACommonPrefixAndOtherTenantsAreNotRouted() {
        index.watch(subscriber(), "tenants/a/plants/p1");

        final Map<String, List<Series>> routed = index.route(List.of(voltage, soc, otherPlant, otherTenant));

        assertThat(routed).containsOnlyKeys("tenants/a/plants/p1");
        assertThat(routed.get("tenants/a/plants/p1")).containsExactly(voltage, soc);
    }

    @Test
    void nothingIsRoutedWithoutWatchers() {
        assertThat(index.route(List.of(voltage, soc))).isEmpty();
        assertThat(index.isEmpty()).isTrue();
    }

    @Test
    void subscribersOfOnePathShareItsEntry() {
        final LiveSubscriber first = subscriber();
        final LiveSubscriber second = subscriber();
        index.watch(first, "tenants/a/plants/p1");
        index.watch(second, "tenants/a/plants/p1");

        assertThat(index.route(List.of(voltage))).containsOnlyKeys("tenants/a/plants/p1");
        assertThat(index.watchers("tenants/a/plants/p1")).containsExactly(first, second);
        assertThat(index.subscriberCount()).isEqualTo(2);
    }

    @Test
    void nestedPathsOfOneSubscriberRegisterOnlyTheOuterOneUntilItIsUnwatched() {
        final LiveSubscriber subscriber = subscriber();
        index.watch(subscriber, "tenants/a/plants/p1/racks/r1");
        index.watch(subscriber, "tenants/a/plants/p1");

        assertThat(index.route(List.of(voltage))).containsOnlyKeys("tenants/a/plants/p1");
        assertThat(index.watchers("tenants/a/plants/p1/racks/r1")).isEmpty();

        index.unwatch(subscriber, "tenants/a/plants/p1");

        assertThat(index.route(List.of(voltage, soc))).containsOnlyKeys("tenants/a/plants/p1/racks/r1");
        assertThat(index.watches(subscriber, voltage)).isTrue();
        assertThat(index.watches(subscriber, soc)).isFalse();
    }

    @Test
    void unwatchAllRemovesEveryRegistration() {
        final LiveSubscriber gone = subscriber();
        final LiveSubscriber stays = subscriber();
        index.watch(gone, "tenants/a");
        index.watch(gone, "tenants/b");
        index.watch(stays, "tenants/b");

        index.unwatchAll(gone);

        assertThat(index.route(List.of(voltage, otherTenant))).containsOnlyKeys("tenants/b");
        assertThat(index.watchers("tenants/b")).containsExactly(stays);
        assertThat(index.subscriberCount()).isEqualTo(1);
    }

    @Test
    void watcherArrayHandedOutIsNotChangedByLaterSubscriptions() {
        final LiveSubscriber first = subscriber();
        final LiveSubscriber second = subscriber();
        index.watch(first, "tenants/a");
        final LiveSubscriber[] during = index.watchers("tenants/a");

        index.watch(second, "tenants/a");
        index.unwatch(first, "tenants/a");

        assertThat(during).containsExactly(first);
        assertThat(index.watchers("tenants/a")).containsExactly(second);
    }
}
