package io.cellwatch.extension.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportRequestTest {

    private static final long NOW = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();

    @Test
    void defaultsToTheLastHourOfEverythingVisible() throws Exception {
        final ExportRequest request = ExportRequest.parse(params(), NOW);

        assertThat(request).isEqualTo(new ExportRequest("", NOW - 3_600_000, NOW));
    }

    @Test
    void readsPathAndIsoWindow() throws Exception {
        final ExportRequest request = ExportRequest.parse(params("path", "tenants/acme/plants/p1",
                "from", "2026-11-25T09:00:00Z", "to", "2026-11-25T09:30:00Z", "format", "csv"), NOW);

        assertThat(request).isEqualTo(new ExportRequest("tenants/acme/plants/p1",
                Instant.parse("2026-11-25T09:00:00Z").toEpochMilli(), Instant.parse("2026-11-25T09:30:00Z")
                .toEpochMilli()));
    }

    @Test
    void refusesParquetNamingTheParameter() {
        assertThatThrownBy(() -> ExportRequest.parse(params("format", "parquet"), NOW))
                .isInstanceOf(HistoryRequest.Invalid.class).hasMessageStartingWith("format:");
    }

    @Test
    void refusesAPathOutsideTheTopicGrammar() {
        assertThatThrownBy(() -> ExportRequest.parse(params("path", "plants/p1"), NOW))
                .isInstanceOf(HistoryRequest.Invalid.class).hasMessageStartingWith("path:");
    }

    @Test
    void refusesAPathGivenTwice() {
        assertThatThrownBy(() -> ExportRequest.parse(params("path", "tenants/acme", "path", "tenants/nordvolt"), NOW))
                .isInstanceOf(HistoryRequest.Invalid.class).hasMessageStartingWith("path:");
    }

    @Test
    void refusesFromAfterTo() {
        assertThatThrownBy(() -> ExportRequest.parse(params("from", "2000", "to", "1000"), NOW))
                .isInstanceOf(HistoryRequest.Invalid.class).hasMessageStartingWith("from:");
    }

    @Test
    void refusesAMalformedTime() {
        assertThatThrownBy(() -> ExportRequest.parse(params("to", "yesterday"), NOW))
                .isInstanceOf(HistoryRequest.Invalid.class).hasMessageStartingWith("to:");
    }

    @Test
    void fileNameHoldsPathAndWindowWithOnlySafeCharacters() {
        final ExportRequest request = new ExportRequest("tenants/acme/plants/p1/racks/r\"1;x",
                Instant.parse("2026-11-25T09:00:00Z").toEpochMilli(), NOW);

        assertThat(request.fileName()).isEqualTo(
                "cellwatch_tenants_acme_plants_p1_racks_r_1_x_20261125T090000Z_20261125T100000Z.csv");
    }

    @Test
    void fileNameOfEverythingHasNoPath() {
        assertThat(new ExportRequest("", 0, NOW).fileName())
                .isEqualTo("cellwatch_19700101T000000Z_20261125T100000Z.csv");
    }

    @Test
    void fileNameStaysShortForADeepPath() {
        final String deep = "tenants/acme/" + "level/x/".repeat(60) + "m";

        assertThat(new ExportRequest(deep, 0, NOW).fileName().length()).isLessThanOrEqualTo(220);
    }

    private static Map<String, Deque<String>> params(final String... pairs) {
        final Map<String, Deque<String>> out = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.computeIfAbsent(pairs[i], k -> new ArrayDeque<>()).add(pairs[i + 1]);
        }
        return out;
    }
}
