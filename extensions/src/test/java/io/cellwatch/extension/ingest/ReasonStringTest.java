package io.cellwatch.extension.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ReasonStringTest {

    @Test
    void keepsPrintableTextAsItIs() {
        assertThat(ReasonString.of("payload 'high' is not a number")).isEqualTo("payload 'high' is not a number");
    }

    @Test
    void replacesNulAndControlCharacters() {
        assertThat(ReasonString.of("3.7\u0000\u0000junk\u0007\u001b[2J\u0085")).isEqualTo("3.7??junk??[2J?");
    }

    @Test
    void replacesTheBomAndOtherFormatCharacters() {
        assertThat(ReasonString.of("\uFEFF3.7\u200b")).isEqualTo("?3.7?");
    }

    @Test
    void replacesUnpairedSurrogatesButKeepsPairs() {
        assertThat(ReasonString.of("a\uD800b\uDC00c\uD83D\uDD0B")).isEqualTo("a?b?c\uD83D\uDD0B");
    }

    @Test
    void replacesWhatUtf8DecodingTurnedIntoReplacementCharactersOnlyIfUnsafe() {
        final String decoded = new String(new byte[] {'3', (byte) 0xC3, 0x28}, StandardCharsets.UTF_8);

        assertThat(ReasonString.of(decoded)).isEqualTo("3\uFFFD(");
    }

    @Test
    void cutsLongTextToOneHundredCharactersWithAnEllipsis() {
        final String cut = ReasonString.of("x".repeat(10_000));

        assertThat(cut).hasSize(ReasonString.MAX_CHARS).endsWith("\u2026");
    }

    @Test
    void keepsTextOfExactlyTheLimit() {
        assertThat(ReasonString.of("y".repeat(ReasonString.MAX_CHARS))).isEqualTo("y".repeat(ReasonString.MAX_CHARS));
    }

    @Test
    void neverSplitsASurrogatePairAtTheLimit() {
        final String cut = ReasonString.of("z".repeat(98) + "\uD83D\uDD0B" + "tail");

        assertThat(cut.length()).isLessThanOrEqualTo(ReasonString.MAX_CHARS);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))
                && !Character.isLowSurrogate(cut.charAt(cut.length() - 1))).isFalse();
    }
}
