package io.cellwatch.extension.api;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CsvRowsTest {

    @Test
    void writesHeaderThenOneCrlfLinePerSampleWithUtcMillisecondTimes() throws Exception {
        final StringWriter out = new StringWriter();
        final CsvRows rows = new CsvRows(out, () -> { });

        rows.begin(2);
        rows.row("tenants/acme/plants/p1/v", Instant.parse("2026-11-25T09:00:00Z").toEpochMilli(), 3.7, 5L,
                Instant.parse("2026-11-25T09:00:00.250Z").toEpochMilli());
        rows.row("tenants/acme/plants/p1/v", Instant.parse("2026-11-25T09:00:01.5Z").toEpochMilli(), -0.25, null,
                Instant.parse("2026-11-25T09:00:02Z").toEpochMilli());

        assertThat(out.toString()).isEqualTo("series,ts,value,seq,received\r\n"
                + "tenants/acme/plants/p1/v,2026-11-25T09:00:00.000Z,3.7,5,2026-11-25T09:00:00.250Z\r\n"
                + "tenants/acme/plants/p1/v,2026-11-25T09:00:01.500Z,-0.25,,2026-11-25T09:00:02.000Z\r\n");
    }

    @Test
    void runsTheHeaderCallbackBeforeWritingAnything() throws Exception {
        final StringWriter out = new StringWriter();
        final StringBuilder seen = new StringBuilder();
        final CsvRows rows = new CsvRows(out, () -> seen.append("written before: '").append(out).append("'"));

        rows.begin(0);

        assertThat(seen).hasToString("written before: ''");
    }

    @Test
    void quotesFieldsWithCommasQuotesOrLineBreaks() {
        assertThat(CsvRows.field("tenants/a,b/x")).isEqualTo("\"tenants/a,b/x\"");
        assertThat(CsvRows.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvRows.field("a\nb")).isEqualTo("\"a\nb\"");
        assertThat(CsvRows.field("tenants/acme_1/x")).isEqualTo("tenants/acme_1/x");
    }
}
