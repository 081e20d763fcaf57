package io.cellwatch.extension.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeenSeqsTest {

    @Test
    void dropsASeqSeenBefore() {
        final SeenSeqs seen = new SeenSeqs();

        assertThat(seen.add(5)).isTrue();
        assertThat(seen.add(5)).isFalse();
    }

    @Test
    void takesAnOlderBacklogThatArrivesAfterNewerSeqs() {
        final SeenSeqs seen = new SeenSeqs();
        for (long seq = 95; seq <= 200; seq++) {
            seen.add(seq);
        }

        for (long seq = 60; seq <= 94; seq++) {
            assertThat(seen.add(seq)).as("seq %d", seq).isTrue();
        }
        for (long seq = 60; seq <= 200; seq++) {
            assertThat(seen.add(seq)).as("seq %d again", seq).isFalse();
        }
        assertThat(seen.ranges()).isEqualTo(1);
    }

    @Test
    void rangesRestoredAtStartJoinWhatArrivesLater() {
        final SeenSeqs seen = new SeenSeqs();
        seen.addRange(1, 10);
        seen.addRange(20, 30);

        assertThat(seen.add(10)).isFalse();
        assertThat(seen.add(15)).isTrue();
        seen.addRange(5, 25);

        assertThat(seen.ranges()).isEqualTo(1);
        assertThat(seen.add(31)).isTrue();
        assertThat(seen.add(0)).isTrue();
    }

    @Test
    void holdsAtMostTheBoundOfRangesForAGatewayThatLeavesGaps() {
        final SeenSeqs seen = new SeenSeqs();
        for (long seq = 0; seq < 10 * SeenSeqs.MAX_RANGES; seq += 2) {
            seen.add(seq);
        }

        assertThat(seen.ranges()).isEqualTo(SeenSeqs.MAX_RANGES);
        // The newest gaps are still told apart; the oldest were given up to the bound.
        assertThat(seen.add(10L * SeenSeqs.MAX_RANGES - 1)).isTrue();
        assertThat(seen.add(1)).isFalse();
    }
}
