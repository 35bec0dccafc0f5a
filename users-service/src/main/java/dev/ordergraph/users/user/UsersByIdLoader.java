package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsDataLoader;
import dev.ordergraph.users.generated.types.User;
import org.dataloader.MappedBatchLoader;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Loads users by id in one statement per request. The gateway resolves {@code Order.user} with one
 * {@code _entities} call holding every user of a page, and federation-jvm calls the entity fetcher
 * once per representation: without this loader that is one SELECT per order (N+1).
 * <p>
 * Plain JDBC, one autocommitted SELECT mapped straight to the GraphQL type: through JPA ({@code findAllById},
 * or a JPQL query alike) the read-only transaction, the persistence context and the query building around the
 * same read took over ten times its CPU, on the users subgraph's busiest path.
 */
@DgsDataLoader(name = "usersById")
public class UsersByIdLoader implements MappedBatchLoader<Long, User> {

    // The ids go as one array parameter, so the statement's text (and the driver's prepared statement for it)
    // is the same whatever the number of ids.
    private static final String BY_IDS = "select " + UserMapper.COLUMNS + " from users where id = any(?)";

    private final JdbcClient jdbc;

    public UsersByIdLoader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public CompletionStage<Map<Long, User>> load(Set<Long> ids) {
        // Blocking JDBC is fine here: requests run on virtual threads.
        Map<Long, User> users = HashMap.newHashMap(ids.size());
        jdbc.sql(BY_IDS).param(ids.toArray(Long[]::new))
                .query((RowCallbackHandler) row -> users.put(row.getLong("id"), UserMapper.ROW.mapRow(row, row.getRow())));
        return CompletableFuture.completedFuture(users);
    }
}
