package dev.ordergraph.platform.errors;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Recognises a failure that means "the database cannot be reached now", whatever wrapped it (Spring's
 * {@code DataAccessException}s, Hibernate's {@code JDBCConnectionException}, a transaction that could not
 * begin): the pool timing out for a connection, or PostgreSQL refusing or dropping one.
 */
final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    /** The SQL failure in {@code failure}'s causes that says the database is unreachable, or {@code null}. */
    static SQLException cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && (sql instanceof SQLTransientConnectionException || unreachable(sql.getSQLState()))) {
                return sql;
            }
        }
        return null;
    }

    /**
     * SQLSTATE class 08 (connection exception: refused, broken, lost) and PostgreSQL's 57P01-57P03
     * (terminated by an administrator or a crash, or the server still starting).
     */
    static boolean unreachable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01")
                || sqlState.equals("57P02") || sqlState.equals("57P03"));
    }
}
