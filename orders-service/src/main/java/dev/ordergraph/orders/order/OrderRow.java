package dev.ordergraph.orders.order;

import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderState;

import java.time.LocalDate;

/** One image of an {@code orders} row, as a query read it or the log carried it: everything permissions and filters need. */
public record OrderRow(long id, LocalDate date, OrderState state, long userId) {

    public Order toGraphQl() {
        return OrderMapper.toGraphQl(id, date, state, userId);
    }

    public OrderKeyset keyset() {
        return new OrderKeyset(date, id);
    }
}
