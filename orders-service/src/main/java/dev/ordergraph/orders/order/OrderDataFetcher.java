package dev.ordergraph.orders.order;

import com.netflix.graphql.dgs.DgsComponent;
import com.netflix.graphql.dgs.DgsDataFetchingEnvironment;
import com.netflix.graphql.dgs.DgsEntityFetcher;
import com.netflix.graphql.dgs.DgsQuery;
import com.netflix.graphql.dgs.InputArgument;
import dev.ordergraph.orders.generated.DgsConstants;
import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderConnection;
import dev.ordergraph.orders.generated.types.OrderFilter;
import dev.ordergraph.platform.relay.Cursor;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.security.Viewer;
import org.dataloader.DataLoader;
import org.springframework.data.jpa.domain.Specification;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Queries on {@code Order} and its federation entity fetcher; every one filtered to what the viewer may see. */
@DgsComponent
public class OrderDataFetcher {

    private final OrderRepository orders;
    private final OrdersProperties properties;

    public OrderDataFetcher(OrderRepository orders, OrdersProperties properties) {
        this.orders = orders;
        this.properties = properties;
    }

    @DgsQuery
    public List<Order> getOrders(DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        return orders.findBy(OrderSpecifications.visibleTo(viewer), q -> q
                        .sortBy(OrderKeyset.NEWEST_FIRST)
                        .limit(properties.getOrdersLimit())
                        .all())
                .stream().map(OrderMapper::toGraphQl).toList();
    }

    @DgsQuery
    public CompletableFuture<Order> order(@InputArgument String id, DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        return visibleOrder(GlobalId.decode(id, DgsConstants.ORDER.TYPE_NAME), viewer, env);
    }

    @DgsQuery
    public OrderConnection orders(@InputArgument Integer first, @InputArgument String after,
                                  @InputArgument OrderFilter filter, DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        int size = Cursor.pageSize(first, properties.maxPageSize());
        Specification<OrderEntity> spec = OrderSpecifications.visibleTo(viewer)
                .and(OrderSpecifications.matching(filter))
                .and(OrderSpecifications.after(OrderKeyset.fromCursor(after)));
        List<OrderEntity> rows = orders.findBy(spec, q -> q
                .sortBy(OrderKeyset.NEWEST_FIRST)
                .limit(size + 1)
                .all());
        return OrderMapper.toConnection(rows, size);
    }

    /** Federation: orders by key; an order the viewer may not see resolves to {@code null}. */
    @DgsEntityFetcher(name = DgsConstants.ORDER.TYPE_NAME)
    public CompletableFuture<Order> resolveReference(Map<String, Object> values, DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        return visibleOrder(GlobalId.decode(String.valueOf(values.get("id")), DgsConstants.ORDER.TYPE_NAME), viewer, env);
    }

    private static CompletableFuture<Order> visibleOrder(long id, Viewer viewer, DgsDataFetchingEnvironment env) {
        DataLoader<Long, OrderEntity> loader = env.getDataLoader(OrdersByIdLoader.class);
        return loader.load(id).thenApply(row ->
                row != null && viewer.canSee(row.getUserId()) ? OrderMapper.toGraphQl(row) : null);
    }
}
