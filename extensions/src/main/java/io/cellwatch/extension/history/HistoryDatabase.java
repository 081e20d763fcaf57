package io.cellwatch.extension.history;

import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
    // Kept open for the life of the database: connections are duplicated from it and DuckDB closes the file when
    // the last connection to it closes.
    private final DuckDBConnection origin;
    private final DuckDBConnection writer;
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
        final DuckDBConnection origin = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:" + absolute,
                new Properties());
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

    /** A new read connection, owned by the caller: use it from one thread at a time and close it. */
    public synchronized DuckDBConnection readerConnection() throws SQLException {
        checkOpen();
        return origin.duplicate();
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
