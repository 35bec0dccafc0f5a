package dev.ordergraph.platform.mutation;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionSystemException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One database transaction on a connection held explicitly, not bound to a thread: the fields of a
 * request may run on different (virtual) threads, one after another, and must still share it.
 */
final class WriteTransaction implements AutoCloseable {

    private final Connection connection;
    private final JdbcClient jdbc;

    private WriteTransaction(Connection connection) {
        this.connection = connection;
        this.jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
    }

    static WriteTransaction begin(DataSource dataSource) {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return new WriteTransaction(connection);
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("Could not open a write transaction", e);
        }
    }

    JdbcClient jdbc() {
        return jdbc;
    }

    void commit() {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new TransactionSystemException("Commit failed", e);
        }
    }

    void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            throw new TransactionSystemException("Rollback failed", e);
        }
    }

    /** Rolls back whatever was not committed and returns the connection to the pool. */
    @Override
    public void close() {
        try (connection) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new TransactionSystemException("Could not release the write transaction", e);
        }
    }
}
