package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.order.OrderRow;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.platform.security.Viewer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * The viewer's newest visible order, read together with the snapshot it was read in (one
 * REPEATABLE READ transaction, so both come from the same snapshot).
 */
@Component
class NewestOrderQuery {

    record Result(OrderRow newest, TransactionSnapshot snapshot) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    NewestOrderQuery(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        readOnly.setReadOnly(true);
    }

    Result newestVisibleTo(Viewer viewer) {
        return readOnly.execute(status -> {
            TransactionSnapshot snapshot = TransactionSnapshot.parse(
                    jdbc.queryForObject("select pg_current_snapshot()::text", String.class));
            String where = viewer.staff() ? "" : " where user_id = " + viewer.userId();
            List<OrderRow> rows = jdbc.query("select id, date, state, user_id from orders" + where
                            + " order by date desc, id desc limit 1",
                    (rs, i) -> new OrderRow(rs.getLong(1), rs.getDate(2).toLocalDate(),
                            OrderState.valueOf(rs.getString(3)), rs.getLong(4)));
            return new Result(rows.isEmpty() ? null : rows.getFirst(), snapshot);
        });
    }
}
