package dev.ordergraph.e2e.support;

import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain SQL on the orders database, as psql or a batch job would run it. */
public final class Sql {

    private Sql() {
    }

    public static int orders(String sql) {
        try (Connection db = Stack.ordersDb(); Statement statement = db.createStatement()) {
            return statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The state column of one order, as the database has it now. */
    public static String stateOf(long orderId) {
        try (Connection db = Stack.ordersDb(); Statement statement = db.createStatement();
             var rs = statement.executeQuery("select state from orders where id = " + orderId)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code COPY orders (date, state, user_id) FROM STDIN} with {@code csv} rows. */
    public static long copyOrders(String csv) {
        try (Connection db = Stack.ordersDb()) {
            return db.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy orders (date, state, user_id) from stdin with (format csv)", new StringReader(csv));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
