package io.cellwatch.extension.display;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DisplayFileParserTest {

    private static final Path FILE = Path.of("conf", "display.conf");

    private static DisplayFile parse(final String... lines) throws InvalidFileException {
        return DisplayFile.parse(FILE, String.join("\n", lines));
    }

    private static List<String> problems(final String... lines) {
        final InvalidFileException e = catchThrowableOfType(() -> parse(lines), InvalidFileException.class);
        assertThat(e).as("the file is rejected").isNotNull();
        return e.problems().stream().map(FileProblem::toString).toList();
    }

    @Test
    void overridesLieOverTheBuiltInEntriesFieldByFieldForTheirTenantOnly() throws Exception {
        final DisplayFile file = parse(
                "# comment",
                "tenant acme",
                "metric voltage unit mV scale 1000 # millivolts",
                "metric humidity label \"Relative humidity\" unit \"% RH\" decimals 0 range 0..100",
                "level packs \"Battery pack\"");
        final DisplayTable acme = file.forTenant(Optional.of("acme"));
        assertThat(acme.metrics().get("voltage"))
                .isEqualTo(new MetricDisplay("Voltage", "mV", 3, 1000.0, 2.5, 4.3));
        assertThat(acme.metrics().get("humidity"))
                .isEqualTo(new MetricDisplay("Relative humidity", "% RH", 0, null, 0.0, 100.0));
        assertThat(acme.levels()).containsEntry("packs", "Battery pack").containsEntry("cells", "Cell");
        assertThat(file.forTenant(Optional.of("nordvolt"))).isEqualTo(DisplayTable.BUILT_IN);
        assertThat(file.forTenant(Optional.empty())).isEqualTo(DisplayTable.BUILT_IN);
    }

    @Test
    void everyBadLineIsNamedWithItsLineAndField() {
        assertThat(problems(
                "metric voltage unit V",
                "tenant acme",
                "metric voltage decimals 7",
                "metric soc scale 0",
                "metric current range 5..1",
                "metric power unit",
                "metric energy colour red",
                "metric meta unit x",
                "level packs",
                "label \"unclosed",
                "tenant acme")).containsExactly(
                FILE + ":1: 'metric' must be inside a tenant block (start one with 'tenant <id>')",
                FILE + ":3: field decimals: '7' must be a whole number from 0 to 6",
                FILE + ":4: field scale: '0' must be a number other than 0",
                FILE + ":5: field range: the minimum 5 must be below the maximum 1",
                FILE + ":6: 'metric power' needs at least one field (label, unit, decimals, scale or range) with "
                        + "its value",
                FILE + ":7: unknown field 'colour' (expected label, unit, decimals, scale or range)",
                FILE + ":8: field name: 'meta' is a reserved name, never a metric",
                FILE + ":9: 'level' takes a level name and its display name, e.g. 'level packs \"Battery pack\"'",
                FILE + ":10: a quoted text is not closed with '\"'",
                FILE + ":11: tenant 'acme' is already declared at line 2");
    }

    @Test
    void aMetricSetTwiceInOneTenantNamesTheFirstLine() {
        assertThat(problems("tenant acme", "metric soc decimals 0", "metric soc unit %"))
                .containsExactly(FILE + ":3: metric 'soc' is already set at line 2");
    }

    @Test
    void aFileOverTheSizeBoundIsRejectedWhole() {
        assertThat(problems("tenant acme", "#".repeat(DisplayFile.MAX_BYTES)))
                .containsExactly(FILE + ": file is larger than " + DisplayFile.MAX_BYTES + " bytes");
    }
}
