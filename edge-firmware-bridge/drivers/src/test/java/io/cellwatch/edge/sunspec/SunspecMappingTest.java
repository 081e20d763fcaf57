package io.cellwatch.edge.sunspec;

import io.cellwatch.edge.modbus.RegisterDecoder;
import io.cellwatch.edge.modbus.RegisterDiscovery.Discovered;
import io.cellwatch.edge.modbus.RegisterSpec;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SunspecMappingTest {

    private final SunspecMapping mapping = new SunspecMapping();

    /** Model 1, 802, one 804 string (index 2) with one module block, its 805 module with 3 cells. */
    private static SunspecTestDevice battery() {
        final SunspecTestDevice device = new SunspecTestDevice(40_000);
        device.add(1, 0, Map.of("Mn", "Acme", "Md", "BMS-100", "SN", "A123", "Vr", "1.2"), i -> Map.of());
        // SoC 820 × 10^-1 % = 82 %, the product's soc 0.82; V 8123 × 10^-1; over-volt alarm (bit 9) set.
        device.add(802, 0, Map.of("SoC", 820, "SoC_SF", -1, "V", 8123, "V_SF", -1, "Evt1", 1L << 9), i -> Map.of());
        device.add(804, 1, Map.of("Idx", 2, "NMod", 1, "SoC", 81, "SoC_SF", 0, "CellV_SF", -3),
                i -> Map.of("ModSoC", 10, "ModCellVMax", 3999));
        device.add(805, 3, Map.of("StrIdx", 2, "ModIdx", 1, "NCell", 3, "SoC", 79, "SoC_SF", 0, "CellV_SF", -3,
                "Tmp_SF", -1), i -> Map.of("CellV", 3300 + i, "CellTmp", 250 + i - 2, "CellSt", i == 1 ? 1L : 0L));
        return device.end();
    }

    private Discovered discover(final SunspecTestDevice device) throws Exception {
        return mapping.map(SunspecChain.walk(device.reader(), 1, mapping::knows), 1);
    }

    private static Map<String, Double> values(final Discovered found, final SunspecTestDevice device) {
        final int[] registers = device.registers();
        final Map<String, Double> values = new LinkedHashMap<>();
        for (final RegisterSpec spec : found.registers()) {
            values.put(spec.series(), RegisterDecoder.decode(spec, registers, spec.address()));
        }
        return values;
    }

    @Test
    void mapsEachCellsVoltageAndTemperatureScaledIntoStringRackAndModulePack() throws Exception {
        final Map<String, Double> values = values(discover(battery()), battery());

        assertThat(values).containsEntry("racks/2/packs/1/cells/1/voltage", 3.3)
                .containsEntry("racks/2/packs/1/cells/3/voltage", 3.302)
                .containsEntry("racks/2/packs/1/cells/1/temperature", 24.8)
                .containsEntry("racks/2/packs/1/cells/3/temperature", 25.0)
                .containsEntry("racks/2/packs/1/cells/2/cell_is_balancing", 1.0)
                .containsEntry("racks/2/packs/1/cells/1/cell_is_balancing", 0.0)
                .doesNotContainKey("racks/2/packs/1/cells/4/voltage");
    }

    @Test
    void socIsTheProductsFractionAndPlantLevelModelsLandOnThePlantNode() throws Exception {
        final Map<String, Double> values = values(discover(battery()), battery());

        assertThat(values).containsEntry("soc", 0.82).containsEntry("voltage", 812.3)
                .containsEntry("racks/2/soc", 0.81);
    }

    @Test
    void eventBitsAreZeroOrOneSamples() throws Exception {
        final Map<String, Double> values = values(discover(battery()), battery());

        assertThat(values).containsEntry("over_volt_alarm", 1.0).containsEntry("under_volt_alarm", 0.0)
                .containsEntry("voltage_imbalance_warning", 0.0).doesNotContainKey("reserved_1");
    }

    @Test
    void pointsTheDeviceDoesNotImplementAreNotMapped() throws Exception {
        final Map<String, Double> values = values(discover(battery()), battery());

        // SoH and its scale factor were left at SunSpec's "not implemented" values; 804's Evt1 too.
        assertThat(values).doesNotContainKeys("soh", "racks/2/soh", "racks/2/over_volt_alarm");
    }

    @Test
    void theModulesOwnModelWinsOverItsBlockInTheStringModel() throws Exception {
        final Map<String, Double> values = values(discover(battery()), battery());

        assertThat(values).containsEntry("racks/2/packs/1/soc", 0.79);
    }

    @Test
    void namesTheDeviceAndReportsEachModelAndWhereItLands() throws Exception {
        final SunspecTestDevice device = new SunspecTestDevice(40_000);
        device.add(1, 0, Map.of("Mn", "Acme", "Md", "BMS-100", "SN", "A123", "Vr", "1.2"), i -> Map.of());
        device.addUnknown(64_001, 10);
        device.add(802, 0, Map.of("SoC", 820, "SoC_SF", -1), i -> Map.of());
        final Discovered found = discover(device.end());

        assertThat(found.device()).isEqualTo("SunSpec Acme BMS-100 (serial A123, version 1.2), base 40000,"
                + " models 1, 64001, 802");
        assertThat(found.report()).anyMatch(line -> line.startsWith("model 64001 at 40070 (length 10): not mapped"))
                .anyMatch(line -> line.startsWith("model 802 at 40082 (length 62): battery -> plant node"));
    }

    @Test
    void aRepeatingCountThatDoesNotFitTheLengthNamesModelBaseAndOffset() {
        final SunspecTestDevice device = new SunspecTestDevice(40_000);
        final int at = device.add(805, 16, Map.of("NCell", 17), i -> Map.of());

        assertThatThrownBy(() -> discover(device.end())).isInstanceOf(SunspecException.class)
                .hasMessageContaining("SunSpec model 805 at " + at + " (base 40000)")
                .hasMessageContaining("NCell (offset 4) says 17")
                .hasMessageContaining("leaves room for 16");
    }

    @Test
    void aLengthThatIsNotWholeBlocksNamesTheOffsetWhereTheyStart() {
        final SunspecTestDevice device = new SunspecTestDevice(40_000);
        final int at = device.add(805, 2, Map.of("NCell", 2), i -> Map.of());
        device.put(at + 1, 42 + 2 * 4 + 1);
        device.put(at + 2 + 42 + 9, 0xFFFF);
        device.put(at + 2 + 42 + 10, 0);

        assertThatThrownBy(() -> discover(device)).isInstanceOf(SunspecException.class)
                .hasMessageContaining("SunSpec model 805 at " + at + " (base 40000) has length 51")
                .hasMessageContaining("from offset 44").hasMessageContaining("4-register");
    }

    @Test
    void aFixedModelWithAnotherLengthIsRefused() {
        final SunspecTestDevice device = new SunspecTestDevice(40_000);
        device.add(802, 0, Map.of(), i -> Map.of());
        device.put(40_003, 64);
        device.put(40_002 + 66, 0xFFFF);
        device.put(40_002 + 67, 0);

        assertThatThrownBy(() -> discover(device)).isInstanceOf(SunspecException.class)
                .hasMessageContaining("SunSpec model 802 at 40002 (base 40000) has length 64")
                .hasMessageContaining("defines 62");
    }

    @Test
    void aDeviceWithoutABatteryModelIsAnError() {
        final SunspecTestDevice device = new SunspecTestDevice(40_000);
        device.add(1, 0, Map.of("Mn", "Acme"), i -> Map.of());
        device.addUnknown(103, 50);

        assertThatThrownBy(() -> discover(device.end())).isInstanceOf(SunspecException.class)
                .hasMessage("the SunSpec device at base 40000 of unit 1 has models 1, 103 but no battery model (802,"
                        + " 803, 804, 805) with a point the gateway maps");
    }
}
