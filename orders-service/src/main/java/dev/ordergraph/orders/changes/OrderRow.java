package dev.ordergraph.orders.changes;

import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.orders.order.OrderKeyset;
import dev.ordergraph.orders.order.OrderMapper;

import java.time.LocalDate;

/** One image of an {@code orders} row as the log carried it: everything permissions and filters need. */
public record OrderRow(long id, LocalDate date, OrderState state, long userId) {

    public Order toGraphQl() {
        return OrderMapper.toGraphQl(id, date, state, userId);
    }

    public OrderKeyset keyset() {
        return new OrderKeyset(date, id);
    }
}
