package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsComponent;
import com.netflix.graphql.dgs.DgsData;
import com.netflix.graphql.dgs.DgsDataFetchingEnvironment;
import com.netflix.graphql.dgs.DgsEntityFetcher;
import com.netflix.graphql.dgs.DgsQuery;
import com.netflix.graphql.dgs.InputArgument;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.relay.Cursor;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.security.Viewer;
import dev.ordergraph.users.generated.DgsConstants;
import dev.ordergraph.users.generated.types.PageInfo;
import dev.ordergraph.users.generated.types.User;
import dev.ordergraph.users.generated.types.UserConnection;
import dev.ordergraph.users.generated.types.UserEdge;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Limit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Queries on {@code User}, its federation entity fetcher, and the email permission. */
@DgsComponent
public class UserDataFetcher {

    private static final String TYPE = DgsConstants.USER.TYPE_NAME;
    private static final String CURSOR_KIND = "users";
    private static final int MAX_PAGE = 100;

    private final UserRepository users;

    public UserDataFetcher(UserRepository users) {
        this.users = users;
    }

    @DgsQuery
    public CompletableFuture<User> user(@InputArgument String id, DgsDataFetchingEnvironment env) {
        return loader(env).load(GlobalId.decode(id, TYPE));
    }

    @DgsQuery
    public CompletableFuture<User> me(DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.current(env);
        return viewer == null ? CompletableFuture.completedFuture(null) : loader(env).load(viewer.userId());
    }

    /** Signed-in viewers only: a public list would hand anyone every username, page after page. */
    @DgsQuery
    public UserConnection users(@InputArgument Integer first, @InputArgument String after, DgsDataFetchingEnvironment env) {
        Viewer.required(env);
        int size = Cursor.pageSize(first, MAX_PAGE);
        long afterId = after == null ? 0 : Cursor.longKey(Cursor.decode(after, CURSOR_KIND, 1).getFirst());
        List<UserEntity> rows = users.findByIdGreaterThanOrderByIdAsc(afterId, Limit.of(size + 1));
        List<UserEdge> edges = rows.stream().limit(size)
                .map(row -> UserEdge.newBuilder()
                        .cursor(Cursor.encode(CURSOR_KIND, row.getId()))
                        .node(UserMapper.toGraphQl(row))
                        .build())
                .toList();
        PageInfo pageInfo = PageInfo.newBuilder()
                .hasNextPage(rows.size() > size)
                .hasPreviousPage(false)
                .startCursor(edges.isEmpty() ? null : edges.getFirst().getCursor())
                .endCursor(edges.isEmpty() ? null : edges.getLast().getCursor())
                .build();
        return UserConnection.newBuilder().edges(edges).pageInfo(pageInfo).build();
    }

    /** Federation: the gateway asks for users by key, e.g. to complete {@code Order.user}. */
    @DgsEntityFetcher(name = DgsConstants.USER.TYPE_NAME)
    public CompletableFuture<User> resolveReference(Map<String, Object> values, DgsDataFetchingEnvironment env) {
        return loader(env).load(GlobalId.decode(String.valueOf(values.get("id")), TYPE));
    }

    @DgsData(parentType = DgsConstants.USER.TYPE_NAME, field = DgsConstants.USER.Email)
    public String email(DgsDataFetchingEnvironment env) {
        User user = env.getSource();
        Viewer viewer = Viewer.current(env);
        if (viewer == null || !viewer.canSee(GlobalId.decode(user.getId(), TYPE))) {
            throw ApiException.forbidden("Only the user and staff may see this email.");
        }
        return user.getEmail();
    }

    private static DataLoader<Long, User> loader(DgsDataFetchingEnvironment env) {
        return env.getDataLoader(UsersByIdLoader.class);
    }
}
