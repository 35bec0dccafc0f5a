package dev.ordergraph.e2e.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQL statements a database has run, from PostgreSQL's pg_stat_statements: what a service runs whatever
 * its data access (a service's {@code db.statements.prepared} metric sees only Hibernate's). Count over
 * one connection, held across the before and after: opening one runs statements too.
 */
public final class StatementsRun {

    private StatementsRun() {
    }

    /** Statements run on {@code db}'s database so far, but the pool's liveness check and this count's own. */
    public static long on(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("create extension if not exists pg_stat_statements");
            try (ResultSet rs = sql.executeQuery("""
                    select coalesce(sum(calls), 0) from pg_stat_statements s join pg_database d on d.oid = s.dbid
                    where d.datname = current_database() and query not ilike '%pg_stat_statements%'
                      and query <> 'SELECT $1'""")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
