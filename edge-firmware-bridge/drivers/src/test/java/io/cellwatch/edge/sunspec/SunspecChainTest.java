package io.cellwatch.edge.sunspec;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SunspecChainTest {

    private static SunspecTestDevice battery(final int base) {
        final SunspecTestDevice device = new SunspecTestDevice(base);
        device.add(1, 0, Map.of("Mn", "Acme", "Md", "BMS-100", "SN", "A123"), i -> Map.of());
        device.add(802, 0, Map.of(), i -> Map.of());
        device.add(805, 16, Map.of("NCell", 16), i -> Map.of());
        return device.end();
    }

    @Test
    void walksTheModelChainFromTheMarkerAt40000ToTheEndMarker() throws Exception {
        final SunspecChain.Found found = SunspecChain.walk(battery(40_000).reader(), 1, id -> true);

        assertThat(found.base()).isEqualTo(40_000);
        assertThat(found.blocks()).extracting(SunspecChain.Block::id, SunspecChain.Block::address,
                SunspecChain.Block::length).containsExactly(org.assertj.core.groups.Tuple.tuple(1, 40_002, 66),
                org.assertj.core.groups.Tuple.tuple(802, 40_070, 62),
                org.assertj.core.groups.Tuple.tuple(805, 40_134, 42 + 16 * 4));
        assertThat(found.blocks().get(2).words()).hasSize(2 + 42 + 64);
    }

    @Test
    void findsTheMarkerAtZeroAndAt50000() throws Exception {
        assertThat(SunspecChain.walk(battery(0).reader(), 1, id -> true).base()).isZero();
        assertThat(SunspecChain.walk(battery(50_000).reader(), 1, id -> true).base()).isEqualTo(50_000);
    }

    @Test
    void readsOnlyTheHeaderOfModelsItDoesNotWant() throws Exception {
        final SunspecChain.Found found = SunspecChain.walk(battery(40_000).reader(), 1, id -> id != 805);
        assertThat(found.blocks().get(2).words()).hasSize(2);
    }

    @Test
    void aMissingMarkerNamesWhatEachBaseHeld() {
        final SunspecTestDevice device = battery(40_000);
        device.put(40_001, 0x6e58);

        assertThatThrownBy(() -> SunspecChain.walk(device.reader(), 1, id -> true))
                .isInstanceOf(SunspecException.class)
                .hasMessageContaining("no SunSpec marker 'SunS' (0x53756e53)")
                .hasMessageContaining("40000: 0x5375 0x6e58")
                .hasMessageContaining("0: 0x0000 0x0000")
                .hasMessageContaining("50000: Illegal Data Address");
    }

    @Test
    void aLengthRunningPastTheDeviceNamesBaseModelAndOffset() {
        final SunspecTestDevice device = battery(40_000);
        device.put(40_135, 200);

        assertThatThrownBy(() -> SunspecChain.walk(device.reader(), 1, id -> true))
                .isInstanceOf(SunspecException.class)
                .hasMessageContaining("SunSpec model 805 at 40134 (base 40000, unit 1) with length 200")
                .hasMessageContaining("40136+125 (offset 2) read Illegal Data Address")
                .hasMessageContaining("its length runs past the device's registers");
    }

    @Test
    void aChainWithoutEndMarkerIsBroken() {
        final SunspecTestDevice device = new SunspecTestDevice(40_000);
        device.add(802, 0, Map.of(), i -> Map.of());

        assertThatThrownBy(() -> SunspecChain.walk(device.reader(), 1, id -> true))
                .isInstanceOf(SunspecException.class)
                .hasMessageContaining("model header at 40066 reads Illegal Data Address")
                .hasMessageContaining("must end with the marker 0xFFFF");
    }
}
