package dev.ordergraph.platform.errors;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUnavailableTest {

    @Test
    void thePoolTimingOutForAConnectionIsUnavailableHoweverItIsWrapped() {
        var timeout = new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 3000ms.");
        var wrapped = new CannotCreateTransactionException("Could not open JPA EntityManager", new RuntimeException(timeout));

        assertThat((Object) DatabaseUnavailable.cause(wrapped)).isSameAs(timeout);
    }

    @Test
    void refusedLostAndShuttingDownConnectionsAreUnavailable() {
        assertThat(DatabaseUnavailable.cause(new DataAccessResourceFailureException("x", new SQLException("refused", "08001"))) != null).isTrue();
        assertThat(DatabaseUnavailable.cause(new SQLException("I/O error", "08006")) != null).isTrue();
        assertThat(DatabaseUnavailable.cause(new SQLException("terminating connection due to administrator command", "57P01")) != null).isTrue();
        assertThat(DatabaseUnavailable.cause(new SQLException("the database system is starting up", "57P03")) != null).isTrue();
    }

    @Test
    void otherSqlFailuresAreNot() {
        assertThat(DatabaseUnavailable.cause(new SQLException("duplicate key", "23505")) == null).isTrue();
        assertThat(DatabaseUnavailable.cause(new SQLException("syntax error", "42601")) == null).isTrue();
        assertThat(DatabaseUnavailable.cause(new IllegalStateException("no SQL at all")) == null).isTrue();
    }
}
