package io.cellwatch.extension.history;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import static io.cellwatch.extension.history.HistoryTestSupport.count;
import static io.cellwatch.extension.history.HistoryTestSupport.execute;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins how the DuckDB JDBC driver's Appender relates to transactions, which HistoryWriter's exactly-once promise
 * rests on.
 */
class AppenderTransactionTest {

    @TempDir
    Path dir;

    private HistoryDatabase db;
    private DuckDBConnection writer;

    @BeforeEach
    void open() throws SQLException {
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        writer = db.writerConnection();
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private void appendThreeSamples() throws SQLException {
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "samples")) {
            for (int i = 0; i < 3; i++) {
                appender.beginRow().append(1).append(1_000L + i).append(3.7).append(2_000L).append(0).appendNull()
                        .endRow();
            }
            appender.flush();
        }
    }

    @Test
    void appendedRowsAreRolledBackWithTheTransaction() throws SQLException {
        execute(writer, "SELECT 1"); // a statement first: the driver opens the transaction here
        appendThreeSamples();
        assertThat(count(writer, "samples")).isEqualTo(3);

        writer.rollback();

        assertThat(count(writer, "samples")).isZero();
    }

    @Test
    void appendedRowsAreInvisibleToReadersUntilCommit() throws SQLException {
        execute(writer, "SELECT 1");
        appendThreeSamples();

        try (Connection reader = db.readerConnection()) {
            assertThat(count(reader, "samples")).isZero();
            writer.commit();
            assertThat(count(reader, "samples")).isEqualTo(3);
        }
    }

    /**
     * The surprise: with autocommit off the driver only sends BEGIN before the next JDBC statement, and the Appender
     * bypasses statements. Used first in a transaction, it commits on its own. If a driver upgrade changes this,
     * this test fails and can go; HistoryWriter stays correct either way.
     */
    @Test
    void appenderUsedBeforeAnyStatementCommitsOnItsOwn() throws SQLException {
        appendThreeSamples();

        writer.rollback();

        assertThat(count(writer, "samples")).isEqualTo(3);
    }
}
