package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.testing.GraphQl;
import dev.ordergraph.users.UsersSliceTest;
import graphql.ExecutionResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.ordergraph.platform.testing.GraphQl.NOBODY;
import static dev.ordergraph.platform.testing.GraphQl.errorCodes;
import static org.assertj.core.api.Assertions.assertThat;

/** Who sees which user, and which of their fields: {@code user}, {@code me}, {@code users} and the entity fetch. */
@UsersSliceTest
class UserQueriesTest {

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    JdbcClient jdbc;

    private GraphQl graphQl;
    private long alice;
    private long bob;

    @BeforeEach
    void twoUsers() {
        graphQl = new GraphQl(executor);
        jdbc.sql("truncate users restart identity").update();
        alice = insert("alice");
        bob = insert("bob");
    }

    @Test
    void userByIdReturnsTheUserWithTheirEmailToThemselves() {
        ExecutionResult result = graphQl.execute("query($id: ID!) { user(id: $id) { id username email dateJoined } }", alice, false,
                Map.of("id", GlobalId.encode("User", alice)));

        assertThat(result.getErrors()).isEmpty();
        Map<String, Object> user = user(result, "user");
        assertThat(user).containsEntry("id", GlobalId.encode("User", alice)).containsEntry("username", "alice")
                .containsEntry("email", "alice@example.test");
        assertThat(user.get("dateJoined")).asString().isNotBlank();
    }

    @Test
    void anUnknownUserIsNull() {
        ExecutionResult result = graphQl.execute("query($id: ID!) { user(id: $id) { username } }", alice, false,
                Map.of("id", GlobalId.encode("User", 987654321)));

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.<Map<String, Object>>getData()).containsEntry("user", null);
    }

    @Test
    void meIsTheViewerAndNullWithoutAToken() {
        ExecutionResult signedIn = graphQl.execute("{ me { id username } }", bob, false, Map.of());
        ExecutionResult anonymous = graphQl.execute("{ me { id username } }", NOBODY, false, Map.of());

        assertThat(user(signedIn, "me")).isEqualTo(Map.of("id", GlobalId.encode("User", bob), "username", "bob"));
        assertThat(anonymous.getErrors()).isEmpty();
        assertThat(anonymous.<Map<String, Object>>getData()).containsEntry("me", null);
    }

    @Test
    void usersPagesInSignUpOrder() {
        ExecutionResult all = graphQl.execute("{ users(first: 100) { edges { cursor node { id } } } }", alice, false, Map.of());
        String afterAlice = edges(all).stream().filter(edge -> node(edge).get("id").equals(GlobalId.encode("User", alice)))
                .findFirst().orElseThrow().get("cursor").toString();

        ExecutionResult next = graphQl.execute(
                "query($after: String) { users(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }",
                alice, false, Map.of("after", afterAlice));

        assertThat(edges(next)).singleElement().satisfies(edge -> assertThat(node(edge).get("id")).isEqualTo(GlobalId.encode("User", bob)));
    }

    @Test
    void anotherUsersEmailIsNullWithAForbiddenErrorOnThatField() {
        ExecutionResult result = graphQl.execute("query($id: ID!) { user(id: $id) { username email } }", alice, false,
                Map.of("id", GlobalId.encode("User", bob)));

        Map<String, Object> user = user(result, "user");
        assertThat(user).containsEntry("username", "bob").containsEntry("email", null);
        assertThat(errorCodes(result)).containsExactly("FORBIDDEN");
        assertThat(result.getErrors().getFirst().getPath()).isEqualTo(List.of("user", "email"));
    }

    @Test
    void staffSeeEveryEmail() {
        ExecutionResult result = graphQl.execute("query($id: ID!) { user(id: $id) { email } }", alice, true,
                Map.of("id", GlobalId.encode("User", bob)));

        assertThat(result.getErrors()).isEmpty();
        assertThat(user(result, "user")).containsEntry("email", "bob@example.test");
    }

    /** As a client bypassing the gateway might ask: a malformed id is BAD_USER_INPUT, and no error names a class. */
    @Test
    void anEntityFetchWithAMalformedIdIsBadUserInputAndNamesNoClass() {
        ExecutionResult result = graphQl.execute("query($r: [_Any!]!) { _entities(representations: $r) { __typename } }", alice, false,
                Map.of("r", List.of(Map.of("__typename", "User", "id", "5"))));

        assertThat(errorCodes(result)).containsExactly("BAD_USER_INPUT");
        assertThat(result.getErrors().toString()).doesNotContain("dev.ordergraph").doesNotContain("Exception").doesNotContain("INTERNAL");
    }

    @Test
    void entitiesTakeABoundedListOfRepresentations() {
        String query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }";
        List<Map<String, Object>> representations = IntStream.rangeClosed(1, 2001)
                .mapToObj(i -> Map.<String, Object>of("__typename", "User", "id", GlobalId.encode("User", i))).toList();

        assertThat(errorCodes(graphQl.execute(query, NOBODY, false, Map.of("r", representations)))).containsExactly("BAD_USER_INPUT");
        assertThat(graphQl.execute(query, NOBODY, false, Map.of("r", representations.subList(0, 10))).getErrors()).isEmpty();
    }

    private long insert(String username) {
        return jdbc.sql("insert into users (username, email) values (:name, :name || '@example.test') returning id")
                .param("name", username).query(Long.class).single();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> user(ExecutionResult result, String field) {
        return (Map<String, Object>) result.<Map<String, Object>>getData().get(field);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> edges(ExecutionResult result) {
        assertThat(result.getErrors()).isEmpty();
        return (List<Map<String, Object>>) user(result, "users").get("edges");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> node(Map<String, Object> edge) {
        return (Map<String, Object>) edge.get("node");
    }
}
