package dev.ordergraph.orders.order;

import com.netflix.graphql.dgs.DgsDataLoader;
import org.dataloader.MappedBatchLoader;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Orders by id, one statement per request: {@code order(id)} used several times in one operation and
 * {@code _entities} for many orders would otherwise read one row per call (N+1).
 * Visibility is checked by the caller, which knows the viewer.
 */
@DgsDataLoader(name = "ordersById")
public class OrdersByIdLoader implements MappedBatchLoader<Long, OrderEntity> {

    private final OrderRepository orders;

    public OrdersByIdLoader(OrderRepository orders) {
        this.orders = orders;
    }

    @Override
    public CompletionStage<Map<Long, OrderEntity>> load(Set<Long> ids) {
        return CompletableFuture.completedFuture(orders.findAllById(ids).stream()
                .collect(Collectors.toMap(OrderEntity::getId, Function.identity())));
    }
}
