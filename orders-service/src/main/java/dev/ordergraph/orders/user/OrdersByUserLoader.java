package dev.ordergraph.orders.user;

import com.netflix.graphql.dgs.DgsDataLoader;
import dev.ordergraph.orders.generated.types.OrderConnection;
import dev.ordergraph.orders.order.OrderEntity;
import dev.ordergraph.orders.order.OrderKeyset;
import dev.ordergraph.orders.order.OrderMapper;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.dataloader.MappedBatchLoader;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * {@code User.orders} for many users at once: one statement per distinct set of arguments (usually
 * one per request), however many users. Without it, a list of users with their orders is N+1.
 * A window function takes the first {@code first + 1} orders of each user in newest-first order.
 */
@DgsDataLoader(name = "ordersByUser")
public class OrdersByUserLoader implements MappedBatchLoader<UserOrdersPage, OrderConnection> {

    private final EntityManager entityManager;

    public OrdersByUserLoader(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public CompletionStage<Map<UserOrdersPage, OrderConnection>> load(Set<UserOrdersPage> pages) {
        Map<UserOrdersPage, OrderConnection> result = new HashMap<>();
        pages.stream().collect(Collectors.groupingBy(UserOrdersPage::shape)).forEach((shape, group) -> {
            Map<Long, List<OrderEntity>> byUser = query(shape, group.stream().map(UserOrdersPage::userId).toList())
                    .stream().collect(Collectors.groupingBy(OrderEntity::getUserId));
            for (UserOrdersPage page : group) {
                result.put(page, OrderMapper.toConnection(byUser.getOrDefault(page.userId(), List.of()), page.first()));
            }
        });
        return CompletableFuture.completedFuture(result);
    }

    @SuppressWarnings("unchecked")
    private List<OrderEntity> query(UserOrdersPage.Shape shape, List<Long> userIds) {
        StringBuilder where = new StringBuilder("o.user_id in (:userIds)");
        if (shape.state() != null) {
            where.append(" and o.state = :state");
        }
        if (shape.after() != null) {
            where.append(" and (o.date < :afterDate or (o.date = :afterDate and o.id < :afterId))");
        }
        Query query = entityManager.createNativeQuery("""
                select id, date, state, user_id from (
                    select o.*, row_number() over (partition by o.user_id order by o.date desc, o.id desc) as rank
                    from orders o where %s
                ) ranked
                where rank <= :perUser
                order by user_id, date desc, id desc""".formatted(where), OrderEntity.class);
        query.setParameter("userIds", userIds);
        query.setParameter("perUser", shape.first() + 1);
        if (shape.state() != null) {
            query.setParameter("state", shape.state().name());
        }
        if (shape.after() != null) {
            OrderKeyset after = shape.after();
            query.setParameter("afterDate", after.date());
            query.setParameter("afterId", after.id());
        }
        return query.getResultList();
    }
}
