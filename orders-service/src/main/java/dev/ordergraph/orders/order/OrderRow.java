package dev.ordergraph.orders.order;

import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderState;

import java.time.LocalDate;

/**
 * One {@code orders} row as a query or a write read it, on its way to the API. The change pipeline
 * describes rows with its own {@code OrderImage}, which knows no GraphQL types.
 */
public record OrderRow(long id, LocalDate date, OrderState state, long userId) {

    public Order toGraphQl() {
        return OrderMapper.toGraphQl(id, date, state, userId);
    }

    public OrderKeyset keyset() {
        return new OrderKeyset(date, id);
    }
}
