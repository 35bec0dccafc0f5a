package dev.ordergraph.orders.order;

import dev.ordergraph.orders.generated.types.OrderState;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.LocalDate;
import java.util.Optional;

/**
 * The SQL of order mutations, run in the transaction the mutation runner gives. Nothing here
 * publishes a change: subscribers learn of these writes from the log, like of any other.
 */
final class OrderWrites {

    private static final String COLUMNS = "id, date, state, user_id";
    private static final RowMapper<OrderRow> ROW = (rs, i) -> new OrderRow(rs.getLong("id"),
            rs.getObject("date", LocalDate.class), OrderState.valueOf(rs.getString("state")), rs.getLong("user_id"));

    private OrderWrites() {
    }

    /** A new order; the table's defaults (today, {@code UNPAID}) fill what is {@code null}. */
    static OrderRow insert(JdbcClient jdbc, LocalDate date, OrderState state, long userId) {
        return jdbc.sql("insert into orders (date, state, user_id)"
                        + " values (coalesce(cast(:date as date), current_date), coalesce(cast(:state as text), 'UNPAID'), :userId)"
                        + " returning " + COLUMNS)
                .param("date", date)
                .param("state", state == null ? null : state.name())
                .param("userId", userId)
                .query(ROW)
                .single();
    }

    /** The order, locked until the transaction ends, so the permission checked is the one written under. */
    static Optional<OrderRow> lock(JdbcClient jdbc, long id) {
        return jdbc.sql("select " + COLUMNS + " from orders where id = :id for update")
                .param("id", id)
                .query(ROW)
                .optional();
    }

    /** Changes only the fields that are not {@code null}. */
    static OrderRow update(JdbcClient jdbc, long id, LocalDate date, OrderState state, Long userId) {
        return jdbc.sql("update orders set date = coalesce(cast(:date as date), date),"
                        + " state = coalesce(cast(:state as text), state), user_id = coalesce(cast(:userId as bigint), user_id)"
                        + " where id = :id returning " + COLUMNS)
                .param("date", date)
                .param("state", state == null ? null : state.name())
                .param("userId", userId)
                .param("id", id)
                .query(ROW)
                .single();
    }

    static void delete(JdbcClient jdbc, long id) {
        jdbc.sql("delete from orders where id = :id").param("id", id).update();
    }
}
