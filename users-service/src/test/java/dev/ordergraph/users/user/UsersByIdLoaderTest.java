package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.testing.GraphQl;
import dev.ordergraph.platform.testing.StatementCount;
import dev.ordergraph.users.UsersSliceTest;
import graphql.ExecutionResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's {@code _entities} call for the users of a page: the right users, in one statement. */
@UsersSliceTest
@Import(StatementCount.class)
class UsersByIdLoaderTest {

    private static final String ENTITIES = """
            query($representations: [_Any!]!) {
              _entities(representations: $representations) { ... on User { id username email dateJoined } }
            }""";

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    StatementCount statements;

    private GraphQl graphQl;
    private long staff;

    @BeforeEach
    void cleanTable() {
        graphQl = new GraphQl(executor);
        jdbc.sql("truncate users restart identity").update();
        staff = insert("staffer");
    }

    @Test
    void foundUsersComeInTheOrderAskedAndMissingOnesAreNullInOneStatement() {
        long alice = insert("alice");
        long bob = insert("bob");
        long missing = bob + 1000;

        long before = statements.prepared();
        ExecutionResult result = entities(List.of(bob, missing, alice, bob));

        assertThat(statements.prepared() - before).isEqualTo(1);
        assertThat(result.getErrors()).isEmpty();
        List<Map<String, Object>> users = users(result);
        assertThat(users).hasSize(4);
        assertThat(users.get(0)).containsEntry("id", GlobalId.encode("User", bob)).containsEntry("username", "bob")
                .containsEntry("email", "bob@example.test");
        assertThat(users.get(0).get("dateJoined")).asString().isNotBlank();
        assertThat(users.get(1)).isNull();
        assertThat(users.get(2)).containsEntry("id", GlobalId.encode("User", alice)).containsEntry("username", "alice")
                .containsEntry("email", "alice@example.test");
        assertThat(users.get(3)).isEqualTo(users.get(0));
    }

    @Test
    void fiftyUsersTakeOneStatementToo() {
        List<Long> ids = IntStream.range(0, 50).mapToObj(i -> insert("user" + i)).toList();

        long before = statements.prepared();
        ExecutionResult result = entities(ids);

        assertThat(statements.prepared() - before).isEqualTo(1);
        assertThat(result.getErrors()).isEmpty();
        assertThat(users(result)).extracting(user -> user.get("username"))
                .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "user" + i).toList());
    }

    @Test
    void noneFoundIsAllNullInOneStatement() {
        long before = statements.prepared();
        ExecutionResult result = entities(List.of(staff + 1, staff + 2));

        assertThat(statements.prepared() - before).isEqualTo(1);
        assertThat(result.getErrors()).isEmpty();
        assertThat(users(result)).containsExactly(null, null);
    }

    /** As the gateway asks: a staff viewer, so every email is shown. */
    private ExecutionResult entities(List<Long> ids) {
        List<Map<String, Object>> representations = ids.stream()
                .map(id -> Map.<String, Object>of("__typename", "User", "id", GlobalId.encode("User", id))).toList();
        return graphQl.execute(ENTITIES, staff, true, Map.of("representations", representations));
    }

    private long insert(String username) {
        return jdbc.sql("insert into users (username, email) values (:name, :name || '@example.test') returning id")
                .param("name", username).query(Long.class).single();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> users(ExecutionResult result) {
        return (List<Map<String, Object>>) result.<Map<String, Object>>getData().get("_entities");
    }
}
