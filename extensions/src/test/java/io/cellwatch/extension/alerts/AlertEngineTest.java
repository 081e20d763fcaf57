package io.cellwatch.extension.alerts;

import io.cellwatch.extension.ManualClock;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine on its own thread: publishes handed over, rules swapped, state kept across a reload. */
@Timeout(30)
class AlertEngineTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SeriesCatalog catalog = new SeriesCatalog();
    private final AlertBook book = new AlertBook();
    private final AlertMetrics metrics = new AlertMetrics(Metrics.create());
    private final AlertEngine engine = new AlertEngine(clock, book, metrics, 16);
    private final List<String> events = new CopyOnWriteArrayList<>();

    AlertEngineTest() {
        book.onChange(a -> events.add(a.rule().name() + " " + a.state().word()));
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    /** Puts {@code text} in force and waits until the engine took it. */
    private void rules(final String text) throws Exception {
        final AlertRules rules = AlertRules.parse(Path.of("t.rules"), text);
        engine.apply(rules);
        await().until(() -> metrics.rulesCount() == rules.size());
    }

    private void publish(final String key, final double value) {
        final List<String> levels = List.of(key.split("/"));
        final Series series = catalog.internSeries(catalog.internNode(levels.subList(0, levels.size() - 1)),
                levels.get(levels.size() - 1));
        engine.accept(new IngestedPublish(null, -1, clock.millis(), clock.millis(), new Series[]{series},
                new double[]{value}));
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void reloadKeepsUnchangedRulesStateAndClearsTheAlertsOfRemovedOnes() throws Exception {
        rules("tenant acme\nalert hot threshold cells/+/t > 45\nalert cold threshold cells/+/t < 60\n");
        publish("tenants/acme/cells/1/t", 50);
        await().until(() -> events.size() == 2);
        assertThat(events).containsExactlyInAnyOrder("hot raised", "cold raised");

        rules("# moved down a line\ntenant acme\nalert hot threshold cells/+/t > 45\n");
        await().until(() -> events.size() == 3);
        assertThat(events.get(2)).isEqualTo("cold cleared");

        // hot kept its state: it is still active, so a low value clears it.
        publish("tenants/acme/cells/1/t", 40);
        await().until(() -> events.size() == 4);
        assertThat(events.get(3)).isEqualTo("hot cleared");
    }

    @Test
    void otherTenantsRulesNeverSeeASeries() throws Exception {
        rules("tenant nordvolt\nalert hot threshold cells/+/t > 45\ntenant acme\nalert warm threshold cells/+/t > 99\n");
        publish("tenants/acme/cells/1/t", 50);
        publish("tenants/nordvolt/cells/1/t", 50);
        await().until(() -> events.size() == 1);
        assertThat(book.alerts(a -> true)).singleElement()
                .satisfies(a -> assertThat(a.subject()).isEqualTo("tenants/nordvolt/cells/1/t"));
        await().until(() -> metrics.evaluatedCount() == 2);
    }

    @Test
    void withoutRulesNothingIsQueued() {
        publish("tenants/acme/cells/1/t", 50);
        assertThat(metrics.evaluatedCount()).isZero();
        assertThat(metrics.droppedCount()).isZero();
    }
}
