package dev.ordergraph.orders.order;

import dev.ordergraph.orders.generated.DgsConstants;
import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderConnection;
import dev.ordergraph.orders.generated.types.OrderEdge;
import dev.ordergraph.orders.generated.types.PageInfo;
import dev.ordergraph.orders.generated.types.User;
import dev.ordergraph.platform.relay.GlobalId;

import dev.ordergraph.orders.generated.types.OrderState;

import java.time.LocalDate;
import java.util.List;

/** Rows to GraphQL types; the only place that knows both. */
public final class OrderMapper {

    private OrderMapper() {
    }

    public static Order toGraphQl(OrderEntity row) {
        return toGraphQl(row.getId(), row.getDate(), row.getState(), row.getUserId());
    }

    public static Order toGraphQl(long id, LocalDate date, OrderState state, long userId) {
        return Order.newBuilder()
                .id(GlobalId.encode(DgsConstants.ORDER.TYPE_NAME, id))
                .date(date)
                .state(state)
                // A reference only: the gateway completes the user's fields from the users subgraph.
                .user(userReference(userId))
                .build();
    }

    public static User userReference(long userId) {
        return User.newBuilder().id(GlobalId.encode(DgsConstants.USER.TYPE_NAME, userId)).build();
    }

    /** A connection page from {@code rows}, fetched with one extra row to learn whether more follow. */
    public static OrderConnection toConnection(List<OrderEntity> rows, int pageSize) {
        List<OrderEdge> edges = rows.stream().limit(pageSize)
                .map(row -> OrderEdge.newBuilder()
                        .cursor(OrderKeyset.of(row).toCursor())
                        .node(toGraphQl(row))
                        .build())
                .toList();
        PageInfo pageInfo = PageInfo.newBuilder()
                .hasNextPage(rows.size() > pageSize)
                .hasPreviousPage(false)
                .startCursor(edges.isEmpty() ? null : edges.getFirst().getCursor())
                .endCursor(edges.isEmpty() ? null : edges.getLast().getCursor())
                .build();
        return OrderConnection.newBuilder().edges(edges).pageInfo(pageInfo).build();
    }
}
