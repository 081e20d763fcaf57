package io.cellwatch.edge.publish;

import io.cellwatch.edge.publish.BrokerRotation.Hop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerRotationTest {

    private static final int AT_ONCE = -1;

    @Test
    void movesToTheNextBrokerAtOnceAndBacksOffOnlyAfterAFullRound() {
        final BrokerRotation rotation = new BrokerRotation(3);

        assertThat(rotation.failed()).isEqualTo(new Hop(1, AT_ONCE));
        assertThat(rotation.failed()).isEqualTo(new Hop(2, AT_ONCE));
        assertThat(rotation.failed()).isEqualTo(new Hop(0, 0));
        assertThat(rotation.failed()).isEqualTo(new Hop(1, AT_ONCE));
        assertThat(rotation.failed()).isEqualTo(new Hop(2, AT_ONCE));
        assertThat(rotation.failed()).isEqualTo(new Hop(0, 1));
    }

    @Test
    void staysOnTheBrokerItReachedAndRetriesItOnceAfterALoss() {
        final BrokerRotation rotation = new BrokerRotation(2);
        rotation.failed();
        rotation.connected();

        assertThat(rotation.current()).isEqualTo(1);
        assertThat(rotation.lost()).as("a blip: the same broker again").isEqualTo(new Hop(1, 0));
        assertThat(rotation.failed()).as("then the next, at once").isEqualTo(new Hop(0, AT_ONCE));
        assertThat(rotation.failed()).as("every broker failed: back off").isEqualTo(new Hop(1, 1));
        rotation.connected();
        assertThat(rotation.lost()).as("a connection resets the backoff").isEqualTo(new Hop(1, 0));
    }

    @Test
    void withOneBrokerBacksOffBeforeEveryAttemptAsASingleUrlAlwaysDid() {
        final BrokerRotation rotation = new BrokerRotation(1);

        assertThat(rotation.failed()).isEqualTo(new Hop(0, 0));
        assertThat(rotation.failed()).isEqualTo(new Hop(0, 1));
        rotation.connected();
        assertThat(rotation.lost()).isEqualTo(new Hop(0, 0));
        assertThat(rotation.failed()).isEqualTo(new Hop(0, 1));
        assertThat(rotation.failed()).isEqualTo(new Hop(0, 2));
    }
}
