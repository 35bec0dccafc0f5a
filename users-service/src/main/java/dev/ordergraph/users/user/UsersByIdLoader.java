package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsDataLoader;
import dev.ordergraph.users.generated.types.User;
import org.dataloader.MappedBatchLoader;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Loads users by id in one statement per request. The gateway resolves {@code Order.user} with one
 * {@code _entities} call holding every user of a page, and federation-jvm calls the entity fetcher
 * once per representation: without this loader that is one SELECT per order (N+1).
 */
@DgsDataLoader(name = "usersById")
public class UsersByIdLoader implements MappedBatchLoader<Long, User> {

    private final UserRepository users;

    public UsersByIdLoader(UserRepository users) {
        this.users = users;
    }

    @Override
    public CompletionStage<Map<Long, User>> load(Set<Long> ids) {
        // Blocking JPA is fine here: requests run on virtual threads.
        return CompletableFuture.completedFuture(users.findAllById(ids).stream()
                .collect(Collectors.toMap(UserEntity::getId, UserMapper::toGraphQl, (a, b) -> a)));
    }
}
