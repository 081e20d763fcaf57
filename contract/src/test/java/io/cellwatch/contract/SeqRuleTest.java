package io.cellwatch.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeqRuleTest {

    @Test
    void seqAtOrBelowHighestAcceptedIsRetry() {
        assertThat(SeqRule.isRetry(10, 10)).isTrue();
        assertThat(SeqRule.isRetry(10, 3)).isTrue();
        assertThat(SeqRule.isRetry(10, 11)).isFalse();
    }

    @Test
    void nothingIsRetryBeforeFirstAcceptAndPublishWithoutSeqNeverIs() {
        assertThat(SeqRule.isRetry(-1, SeqRule.FIRST)).isFalse();
        assertThat(SeqRule.isRetry(10, ParsedPayload.NO_SEQ)).isFalse();
    }

    @Test
    void nextIncreasesAndStopsAtTheEnd() {
        assertThat(SeqRule.next(41)).isEqualTo(42);
        assertThatThrownBy(() -> SeqRule.next(Long.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SeqRule.next(-2)).isInstanceOf(IllegalArgumentException.class);
    }
}
