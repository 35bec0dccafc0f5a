package dev.ordergraph.orders.user;

import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.orders.order.OrderKeyset;

/** One {@code User.orders(...)} page to load: whose orders, and the field's arguments. */
record UserOrdersPage(long userId, int first, OrderKeyset after, OrderState state) {

    /** Pages that can share one SQL statement: same arguments, different users. */
    record Shape(int first, OrderKeyset after, OrderState state) {
    }

    Shape shape() {
        return new Shape(first, after, state);
    }
}
