package dev.ordergraph.orders.user;

import com.netflix.graphql.dgs.DgsComponent;
import com.netflix.graphql.dgs.DgsData;
import com.netflix.graphql.dgs.DgsDataFetchingEnvironment;
import com.netflix.graphql.dgs.DgsEntityFetcher;
import com.netflix.graphql.dgs.InputArgument;
import dev.ordergraph.orders.generated.DgsConstants;
import dev.ordergraph.orders.generated.types.OrderConnection;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.orders.generated.types.User;
import dev.ordergraph.orders.order.OrderKeyset;
import dev.ordergraph.orders.order.OrderMapper;
import dev.ordergraph.orders.order.OrdersProperties;
import dev.ordergraph.platform.relay.Cursor;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.security.Viewer;
import org.dataloader.DataLoader;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What the orders subgraph adds to {@code User}: its orders. */
@DgsComponent
public class UserOrdersDataFetcher {

    private static final String USER = DgsConstants.USER.TYPE_NAME;

    private final OrdersProperties properties;

    public UserOrdersDataFetcher(OrdersProperties properties) {
        this.properties = properties;
    }

    /** Federation: a user reference needs no lookup here; the key is all this subgraph knows of a user. */
    @DgsEntityFetcher(name = USER)
    public User resolveReference(Map<String, Object> values) {
        return OrderMapper.userReference(GlobalId.decode(String.valueOf(values.get("id")), USER));
    }

    @DgsData(parentType = USER, field = DgsConstants.USER.Orders)
    public CompletableFuture<OrderConnection> orders(@InputArgument Integer first, @InputArgument String after,
                                                     @InputArgument OrderState state, DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        User user = env.getSource();
        long userId = GlobalId.decode(user.getId(), USER);
        int size = Cursor.pageSize(first, properties.maxPageSize());
        OrderKeyset keyset = OrderKeyset.fromCursor(after);
        if (!viewer.canSee(userId)) {
            // Another user's orders are invisible, not an error: the list is simply empty to this viewer.
            return CompletableFuture.completedFuture(OrderMapper.toConnection(List.of(), size));
        }
        DataLoader<UserOrdersPage, OrderConnection> loader = env.getDataLoader(OrdersByUserLoader.class);
        return loader.load(new UserOrdersPage(userId, size, keyset, state));
    }
}
