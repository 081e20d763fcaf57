package io.cellwatch.extension.fleet;

import io.cellwatch.contract.GatewayHealth;
import io.cellwatch.extension.ManualClock;
import io.cellwatch.extension.ingest.GatewayKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class FleetStateTest {

    private static final GatewayKey GW = new GatewayKey("acme", "gw-acme-1", "gw-acme-1");
    private static final GatewayKey OTHER = new GatewayKey("nordvolt", "gw-nordvolt-1", "gw-nordvolt-1");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T06:00:00Z"));
    private final FleetState fleet = new FleetState(clock, 1_000);
    private final List<GatewayStatus> changes = new CopyOnWriteArrayList<>();
    private final List<GatewayStatus> transitions = new CopyOnWriteArrayList<>();

    FleetStateTest() {
        fleet.onChange(changes::add);
        fleet.onTransition(transitions::add);
        fleet.start();
    }

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void connectedGatewayIsOnlineThenStaleAfterTheTimeoutThenOnlineOnItsNextPublish() throws InterruptedException {
        fleet.connected(GW);
        awaitChanges(1);
        assertThat(changes.get(0)).extracting(GatewayStatus::state, GatewayStatus::cause)
                .containsExactly(GatewayState.ONLINE, StateCause.CONNECT);

        clock.advance(Duration.ofMillis(999));
        drain();
        assertThat(changes).hasSize(1);

        clock.advance(Duration.ofMillis(1));
        drain();
        awaitChanges(2);
        assertThat(changes.get(1)).extracting(GatewayStatus::state, GatewayStatus::cause, GatewayStatus::sinceMs)
                .containsExactly(GatewayState.STALE, StateCause.TIMEOUT, clock.millis());

        fleet.seen(GW);
        awaitChanges(3);
        assertThat(changes.get(2)).extracting(GatewayStatus::state, GatewayStatus::cause)
                .containsExactly(GatewayState.ONLINE, StateCause.DATA);
    }

    @Test
    void publishesKeepAGatewayFromGoingStale() throws InterruptedException {
        fleet.connected(GW);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(600));
            fleet.seen(GW);
            drain();
        }
        assertThat(changes).extracting(GatewayStatus::state).containsExactly(GatewayState.ONLINE);
    }

    @Test
    void endOfAConnectionThatWasTakenOverChangesNothing() throws InterruptedException {
        final long first = fleet.connected(GW);
        final long second = fleet.connected(GW);
        fleet.disconnected(GW, first, StateCause.SERVER);
        drain();
        assertThat(changes).extracting(GatewayStatus::state)
                .containsExactly(GatewayState.ONLINE, GatewayState.ONLINE);

        fleet.disconnected(GW, second, StateCause.WILL);
        awaitChanges(3);
        assertThat(changes.get(2)).extracting(GatewayStatus::state, GatewayStatus::cause)
                .containsExactly(GatewayState.OFFLINE, StateCause.WILL);
    }

    @Test
    void offlineGatewayNeverGoesStale() throws InterruptedException {
        final long number = fleet.connected(GW);
        fleet.disconnected(GW, number, StateCause.DISCONNECT);
        clock.advance(Duration.ofSeconds(5));
        drain();
        assertThat(changes).extracting(GatewayStatus::state)
                .containsExactly(GatewayState.ONLINE, GatewayState.OFFLINE);
    }

    @Test
    void statusesAreFilteredByTheCallersPredicate() throws InterruptedException {
        fleet.connected(GW);
        fleet.connected(OTHER);
        drain();
        assertThat(fleet.statuses(key -> key.tenant().equals("acme"))).extracting(GatewayStatus::key)
                .containsExactly(GW);
        assertThat(fleet.statuses(key -> true)).hasSize(2);
    }

    @Test
    void aHealthReportRidesWithTheStateOfItsConnectionOnlyAndIsNoTransition() throws InterruptedException {
        final GatewayHealth degraded = new GatewayHealth("degraded", List.of(new GatewayHealth.Source("bms",
                "degraded", "1 of 3 requests failing", List.of(), 0)), 0);
        fleet.reported(GW, degraded);
        drain();
        assertThat(changes).as("a report before the connection is tracked").isEmpty();

        fleet.connected(GW);
        fleet.reported(GW, degraded);
        fleet.reported(GW, degraded);
        fleet.reported(OTHER, degraded);
        drain();
        assertThat(changes).extracting(GatewayStatus::health).containsExactly(null, degraded);
        assertThat(transitions).hasSize(1);
        assertThat(fleet.statuses(key -> true)).singleElement().extracting(GatewayStatus::health).isEqualTo(degraded);

        clock.advance(Duration.ofMillis(1_000));
        drain();
        assertThat(changes.get(2)).extracting(GatewayStatus::state, GatewayStatus::health)
                .containsExactly(GatewayState.STALE, degraded);

        fleet.connected(GW);
        drain();
        assertThat(changes.get(3).health()).as("a new connection starts without a report").isNull();
        assertThat(transitions).hasSize(3);
    }

    private void awaitChanges(final int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> changes.size() >= count);
    }

    /** Runs a stale check at the clock's time, then waits until the fleet thread ran everything handed to it. */
    private void drain() throws InterruptedException {
        fleet.checkStale();
        final CountDownLatch done = new CountDownLatch(1);
        fleet.execute(done::countDown);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
