package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.testing.TestViewers;
import dev.ordergraph.users.UsersSliceTest;
import graphql.ExecutionResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@UsersSliceTest
class UserRulesTest {

    private static final String CREATE = """
            mutation($input: CreateUserInput!) {
              createUser(input: $input) { user { id username } errors { field messages } clientMutationId }
            }""";
    private static final String UPDATE = """
            mutation($input: UpdateUserInput!) {
              updateUser(input: $input) { user { id username } errors { field messages } clientMutationId }
            }""";

    @Autowired
    DgsQueryExecutor graphQl;
    @Autowired
    JdbcClient jdbc;

    private long ada;

    @BeforeEach
    void oneUser() {
        jdbc.sql("truncate users restart identity").update();
        ada = jdbc.sql("insert into users (username, email) values ('ada', 'ada@example.com') returning id").query(Long.class).single();
    }

    @Test
    void listingUsersNeedsASignedInViewer() {
        ExecutionResult anonymous = graphQl.execute("{ users { edges { node { username } } } }", Map.of(), null, new HttpHeaders(), null, null);
        assertThat(anonymous.getErrors()).singleElement().satisfies(error ->
                assertThat(error.getExtensions()).containsEntry("code", "UNAUTHENTICATED"));

        ExecutionResult signedIn = graphQl.execute("{ users { edges { node { username } } } }", Map.of(), null, TestViewers.as(ada, false), null, null);
        assertThat(signedIn.getErrors()).isEmpty();
        assertThat(signedIn.<Map<String, Object>>getData().toString()).contains("ada");
    }

    @Test
    void oneUserByIdStaysOpenToAnyone() {
        ExecutionResult anonymous = graphQl.execute("query($id: ID!) { user(id: $id) { username } }",
                Map.of("id", GlobalId.encode("User", ada)), null, new HttpHeaders(), null, null);

        assertThat(anonymous.getErrors()).isEmpty();
        assertThat(anonymous.<Map<String, Object>>getData()).isEqualTo(Map.of("user", Map.of("username", "ada")));
    }

    @Test
    void aClientMutationIdOfAtMost256CharactersIsEchoed() {
        String id = "x".repeat(256);
        Map<String, Object> payload = mutate(CREATE, "createUser", Map.of("username", "grace", "email", "grace@example.com", "clientMutationId", id));

        assertThat(payload.get("errors")).isEqualTo(List.of());
        assertThat(payload.get("clientMutationId")).isEqualTo(id);
        assertThat(users()).isEqualTo(2);
    }

    @Test
    void aLongerClientMutationIdIsAFieldErrorAndNothingIsSaved() {
        Map<String, Object> payload = mutate(CREATE, "createUser", Map.of("username", "grace", "email", "grace@example.com",
                "clientMutationId", "x".repeat(257)));

        assertThat(payload.get("user")).isNull();
        assertThat(payload.get("errors")).isEqualTo(List.of(Map.of("field", "clientMutationId",
                "messages", List.of("must be at most 256 characters, was 257"))));
        assertThat(users()).isEqualTo(1);
    }

    @Test
    void aLongClientMutationIdIsReportedWithTheInputsOtherProblems() {
        Map<String, Object> payload = mutate(UPDATE, "updateUser", Map.of("id", GlobalId.encode("User", ada), "username", "no spaces allowed",
                "clientMutationId", "y".repeat(300)));

        assertThat(fields(payload)).containsExactlyInAnyOrder("username", "clientMutationId");
        assertThat(jdbc.sql("select username from users where id = :id").param("id", ada).query(String.class).single()).isEqualTo("ada");
    }

    private Map<String, Object> mutate(String mutation, String field, Map<String, Object> input) {
        ExecutionResult result = graphQl.execute(mutation, Map.of("input", input), null, TestViewers.as(ada, true), null, null);
        assertThat(result.getErrors()).isEmpty();
        return result.<Map<String, Map<String, Object>>>getData().get(field);
    }

    private static List<Object> fields(Map<String, Object> payload) {
        return ((List<?>) payload.get("errors")).stream().map(error -> ((Map<?, ?>) error).get("field")).map(Object.class::cast).toList();
    }

    private long users() {
        return jdbc.sql("select count(*) from users").query(Long.class).single();
    }
}
