package io.cellwatch.edge.sunspec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SunspecModelJsonTest {

    private static SunspecModel parse(final String json) throws Exception {
        return SunspecModelJson.parse("model_9.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pointOffsetsAreTheRunningSumOfTheSizesInFileOrder() {
        final SunspecModel battery = SunspecModelJson.resource(802);
        assertThat(battery.id()).isEqualTo(802);
        assertThat(battery.point("SoC").offset()).isEqualTo(11);
        assertThat(battery.point("NCyc")).extracting(SunspecModel.Point::offset, SunspecModel.Point::size)
                .containsExactly(14, 2);
        assertThat(battery.point("V").offset()).isEqualTo(34);
        // SunSpec's model 802 has length 62: 64 registers with ID and L.
        assertThat(battery.fixedLength()).isEqualTo(64);
        assertThat(battery.repeating()).isNull();
    }

    @Test
    void readsScaleFactorsUnitsAndEventSymbols() {
        final SunspecModel battery = SunspecModelJson.resource(802);
        assertThat(battery.point("V").sf()).isEqualTo("V_SF");
        assertThat(battery.point("V").units()).isEqualTo("V");
        assertThat(battery.point("SoC").units()).isEqualTo("%WHRtg");
        assertThat(battery.point("Evt1").type()).isEqualTo("bitfield32");
        assertThat(battery.point("Evt1").symbols()).contains(new SunspecModel.Symbol("OVER_VOLT_ALARM", 9),
                new SunspecModel.Symbol("UNDER_TEMP_WARNING", 4));
    }

    @Test
    void readsTheRepeatingGroupWithItsCountPointOrUntilTheEnd() {
        final SunspecModel bank = SunspecModelJson.resource(803);
        assertThat(bank.repeating().count()).isEqualTo("NStr");
        assertThat(bank.repeating().length()).isEqualTo(32);
        assertThat(bank.repeating().points().get(3)).extracting(SunspecModel.Point::name, SunspecModel.Point::offset)
                .containsExactly("StrSoC", 4);

        final SunspecModel module = SunspecModelJson.resource(805);
        assertThat(module.fixedLength()).isEqualTo(44);
        assertThat(module.repeating().count()).as("count 0: as many cells as the length holds").isNull();
        assertThat(module.repeating().length()).isEqualTo(4);
        assertThat(module.repeating().points()).extracting(SunspecModel.Point::name, SunspecModel.Point::offset,
                SunspecModel.Point::sf).containsExactly(org.assertj.core.groups.Tuple.tuple("CellV", 0, "CellV_SF"),
                org.assertj.core.groups.Tuple.tuple("CellTmp", 1, "Tmp_SF"),
                org.assertj.core.groups.Tuple.tuple("CellSt", 2, null));
    }

    @Test
    void refusesAModelThatDoesNotStartWithIdAndLength() {
        assertThatThrownBy(() -> parse("""
                {"id": 9, "group": {"name": "x", "points": [{"name": "L", "type": "uint16", "size": 1}]}}"""))
                .hasMessageContaining("model_9.json").hasMessageContaining("ID and L");
    }

    @Test
    void refusesNestedRepeatingGroups() {
        assertThatThrownBy(() -> parse("""
                {"id": 9, "group": {"name": "x", "points": [{"name": "ID", "type": "uint16", "size": 1},
                  {"name": "L", "type": "uint16", "size": 1}],
                  "groups": [{"name": "a", "count": 0, "points": [{"name": "p", "type": "uint16", "size": 1}],
                    "groups": [{"name": "b", "count": 0, "points": []}]}]}}"""))
                .hasMessageContaining("group 'a'").hasMessageContaining("not supported");
    }
}
