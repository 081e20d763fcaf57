package io.cellwatch.extension.history;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertHistoryTest {

    private static final String CELL = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1/temperature";
    private static final String OTHER_PLANT = "tenants/acme/plants/p10/racks/r1/packs/k1/cells/1/temperature";
    private static final String NORDVOLT = "tenants/nordvolt/plants/p1/racks/r1/packs/k1/cells/1/temperature";
    private static final String PROBE = "tenants/~cellwatch/probes/e2e/sample";

    @TempDir
    static Path dir;
    static HistoryDatabase db;
    static AlertHistory history;

    /** acme: raised at 1000, acknowledged by alice at 2000, cleared at 3000; p10 at 1500; nordvolt and probe at 1200. */
    @BeforeAll
    static void storeEvents() throws Exception {
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        history = new AlertHistory(db);
        final Connection writer = db.writerConnection();
        try (PreparedStatement insert = writer.prepareStatement(
                "INSERT INTO alert_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert(insert, "acme", "hot~1", CELL, "raised", 46.5, 1_000, null);
            insert(insert, "acme", "hot~1", CELL, "acknowledged", 46.5, 2_000, "alice");
            insert(insert, "acme", "hot~1", CELL, "cleared", null, 3_000, null);
            insert(insert, "acme", "hot~2", OTHER_PLANT, "raised", 50.0, 1_500, null);
            insert(insert, "nordvolt", "hot~3", NORDVOLT, "raised", 61.0, 1_200, null);
            insert(insert, "~cellwatch", "probe~4", PROBE, "raised", 1.0, 1_200, null);
        }
        writer.commit();
    }

    private static void insert(final PreparedStatement insert, final String tenant, final String id,
                               final String subject, final String state, final Double value, final long at,
                               final String by) throws Exception {
        insert.setString(1, tenant);
        insert.setString(2, id);
        insert.setString(3, "hot");
        insert.setString(4, subject);
        insert.setString(5, "critical");
        insert.setString(6, state);
        if (value == null) {
            insert.setNull(7, Types.DOUBLE);
        } else {
            insert.setDouble(7, value);
        }
        insert.setLong(8, at);
        if (by == null) {
            insert.setNull(9, Types.VARCHAR);
        } else {
            insert.setString(9, by);
        }
        insert.executeUpdate();
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    private static List<String> states(final AlertHistory.Page page) {
        return page.events().stream().map(e -> e.alertId() + " " + e.state()).toList();
    }

    @Test
    void aTenantsEventsComeNewestFirstAndNoOtherTenantsOrTheProbes() throws Exception {
        final AlertHistory.Page page = history.query("acme", "~cellwatch", null, 0, 10_000, 100);
        assertThat(states(page)).containsExactly("hot~1 cleared", "hot~1 acknowledged", "hot~2 raised",
                "hot~1 raised");
        assertThat(page.more()).isFalse();
        assertThat(page.events().get(1).by()).isEqualTo("alice");
        assertThat(page.events().get(0).value()).isNull();
        assertThat(page.events().get(3).value()).isEqualTo(46.5);
    }

    @Test
    void everyTenantButTheExcludedOneWhenNoTenantIsGiven() throws Exception {
        assertThat(history.query(null, "~cellwatch", null, 0, 10_000, 100).events())
                .extracting(AlertHistory.Event::tenant).containsOnly("acme", "nordvolt").hasSize(5);
    }

    @Test
    void aSubtreeKeepsItsOwnNodesNotASiblingWhoseIdStartsTheSame() throws Exception {
        assertThat(states(history.query("acme", "~cellwatch", "tenants/acme/plants/p1", 0, 10_000, 100)))
                .containsExactly("hot~1 cleared", "hot~1 acknowledged", "hot~1 raised");
        assertThat(states(history.query("acme", "~cellwatch", CELL, 0, 10_000, 100))).hasSize(3);
    }

    @Test
    void theWindowIsHalfOpenAndALimitSaysThereIsMore() throws Exception {
        assertThat(states(history.query("acme", "~cellwatch", null, 1_000, 3_000, 100)))
                .containsExactly("hot~1 acknowledged", "hot~2 raised", "hot~1 raised");
        final AlertHistory.Page two = history.query("acme", "~cellwatch", null, 0, 10_000, 2);
        assertThat(states(two)).containsExactly("hot~1 cleared", "hot~1 acknowledged");
        assertThat(two.more()).isTrue();
    }
}
