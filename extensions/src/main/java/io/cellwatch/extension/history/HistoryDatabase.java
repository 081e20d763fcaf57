package io.cellwatch.extension.history;

import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The DuckDB file that holds history: opens or creates it, creates the schema and hands out connections.
 * <p>
 * Thread-safety: this object is thread-safe. The {@linkplain #writerConnection() writer connection} is owned by this
 * database and belongs to the single writer thread (it is in manual-commit mode and DuckDB Appenders are confined to
 * the thread that made them). Every {@link #readerConnection()} is a new connection owned by the caller, for one
 * thread at a time, to be closed after use; readers see only committed transactions. Close is idempotent.
 */
public final class HistoryDatabase implements AutoCloseable {

    private final Path file;
    private static final String MEMORY_LIMIT = "2GB";
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    // Kept open for the life of the database: connections are duplicated from it and DuckDB closes the file when
    // the last connection to it closes.
    private final DuckDBConnection origin;
    private final DuckDBConnection writer;
    private final Object snapshotLock = new Object();
    private boolean closed;

    private HistoryDatabase(final Path file, final DuckDBConnection origin, final DuckDBConnection writer) {
        this.file = file;
        this.origin = origin;
        this.writer = writer;
    }

    /** Opens the DuckDB file at {@code file}, creating it, its folders and the schema if missing. */
    public static HistoryDatabase open(final Path file) throws SQLException {
        final Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (final IOException e) {
            throw new SQLException("cannot create folder for " + absolute, e);
        }
        // Through the driver directly rather than DriverManager: inside a HiveMQ extension the driver lives in the
        // extension's class loader, which DriverManager's service lookup does not see.
        final Properties settings = new Properties();
        // DuckDB defaults to 80 % of RAM and every core; it shares this JVM's machine with the broker.
        settings.setProperty("memory_limit", MEMORY_LIMIT);
        settings.setProperty("threads", Integer.toString(THREADS));
        final DuckDBConnection origin = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:" + absolute,
                settings);
        try {
            HistorySchema.create(origin);
            final DuckDBConnection writer = origin.duplicate();
            Staging.create(writer);
            writer.setAutoCommit(false);
            return new HistoryDatabase(absolute, origin, writer);
        } catch (final SQLException e) {
            closeQuietly(origin, e);
            throw e;
        }
    }

    /** The DuckDB file. */
    public Path file() {
        return file;
    }

    /**
     * The one connection that writes, in manual-commit mode, owned by this database (do not close it). For the
     * writer thread only.
     */
    public synchronized DuckDBConnection writerConnection() {
        checkOpen();
        return writer;
    }

    /**
     * A new connection, owned by the caller, for a writer of tables the {@linkplain #writerConnection() writer
     * connection} never writes (the analytics snapshots): DuckDB lets connections of one process write different
     * tables at once. Use it from one thread at a time and close it.
     */
    public synchronized DuckDBConnection sideWriterConnection() throws SQLException {
        checkOpen();
        return origin.duplicate();
    }

    /** A new read connection, owned by the caller: use it from one thread at a time and close it. */
    public synchronized DuckDBConnection readerConnection() throws SQLException {
        checkOpen();
        return origin.duplicate();
    }

    /**
     * Copies the whole database, as of one moment, into a new DuckDB file at {@code target}: DuckDB lets no other
     * process open the live file, not even read-only, while cellwatch holds it, so this is how the DuckDB CLI gets
     * to current history. Reads in one transaction on its own connection; writes go on meanwhile.
     *
     * @throws SQLException if {@code target} exists or the copy fails (a partial target is left behind)
     */
    public void snapshot(final Path target) throws SQLException {
        final Path absolute = target.toAbsolutePath();
        // Its own lock: a long copy must not hold up connection handout for queries.
        synchronized (snapshotLock) {
            if (Files.exists(absolute)) {
                throw new SQLException("snapshot target " + absolute + " already exists");
            }
            try (DuckDBConnection reader = readerConnection()) {
                final String source;
                try (Statement statement = reader.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT current_database()")) {
                    rows.next();
                    source = rows.getString(1);
                }
                // ATTACH is database-wide, hence one snapshot at a time under a fixed alias.
                execute(reader, "ATTACH '" + absolute.toString().replace("'", "''") + "' AS cellwatch_snapshot");
                try {
                    execute(reader, "COPY FROM DATABASE \"" + source.replace("\"", "\"\"")
                            + "\" TO cellwatch_snapshot");
                } finally {
                    // A fresh statement: DuckDB's driver closes a statement whose execution failed.
                    execute(reader, "DETACH cellwatch_snapshot");
                }
            }
        }
    }

    private static void execute(final DuckDBConnection connection, final String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("history database " + file + " is closed");
        }
    }

    /** Closes the writer connection and the database's own; the file closes once every reader is closed too. */
    @Override
    public synchronized void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } finally {
            origin.close();
        }
    }

    private static void closeQuietly(final DuckDBConnection connection, final Exception cause) {
        try {
            connection.close();
        } catch (final SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
