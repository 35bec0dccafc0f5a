package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.platform.testing.GraphQl;
import dev.ordergraph.users.UsersSliceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;

import static dev.ordergraph.platform.testing.GraphQl.fieldErrors;
import static dev.ordergraph.users.user.UserDocuments.TWO_USERS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * All mutation fields of one request are saved together or not at all (the seeds' "increase twice, second
 * invalid"): a failed field rolls back those before it, and those after it are not run.
 */
@UsersSliceTest
class AtomicMutationsTest {

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    JdbcClient jdbc;

    private GraphQl graphQl;
    private long staff;

    @BeforeEach
    void oneStaffMember() {
        graphQl = new GraphQl(executor);
        jdbc.sql("truncate users restart identity").update();
        staff = jdbc.sql("insert into users (username, email) values ('staffer', 'staffer@example.test') returning id").query(Long.class).single();
    }

    @Test
    void whenTheSecondFieldIsInvalidTheFirstIsRolledBackAndBothPayloadsSaySo() {
        Map<String, Object> data = twoUsers(Map.of("username", "first", "email", "first@example.com", "clientMutationId", "1"),
                Map.of("username", "!", "email", "s@example.com", "clientMutationId", "2"));

        assertThat(usersNamed("first")).as("rolled back").isZero();
        Map<String, Object> first = payload(data, "first");
        Map<String, Object> second = payload(data, "second");
        assertThat(first.get("user")).as("not saved, so no user").isNull();
        assertThat(fieldErrors(first)).containsOnlyKeys("__all__");
        assertThat(fieldErrors(first).get("__all__").getFirst()).contains("Nothing was saved").contains("mutation field 2 (`createUser`)");
        assertThat(fieldErrors(second)).as("the failed field gives its own reasons").containsOnlyKeys("username");
        assertThat(first.get("clientMutationId")).isEqualTo("1");
        assertThat(second.get("clientMutationId")).isEqualTo("2");
    }

    @Test
    void whenEveryFieldSucceedsAllAreSaved() {
        Map<String, Object> data = twoUsers(Map.of("username", "alpha", "email", "a@example.com"), Map.of("username", "beta", "email", "b@example.com"));

        assertThat(payload(data, "first").get("errors")).isEqualTo(List.of());
        assertThat(payload(data, "second").get("user")).isEqualTo(Map.of("username", "beta"));
        assertThat(usersNamed("alpha") + usersNamed("beta")).isEqualTo(2);
    }

    @Test
    void aFieldAfterTheFailedOneIsNotRunAndNothingOfItIsSaved() {
        Map<String, Object> data = twoUsers(Map.of("username", "x", "email", "nope"), Map.of("username", "third", "email", "third@example.com"));

        assertThat(usersNamed("third")).isZero();
        assertThat(payload(data, "second").get("user")).isNull();
        assertThat(fieldErrors(payload(data, "second"))).containsOnlyKeys("__all__");
        assertThat(fieldErrors(payload(data, "first"))).containsOnlyKeys("username", "email");
    }

    private Map<String, Object> twoUsers(Map<String, Object> first, Map<String, Object> second) {
        var result = graphQl.execute(TWO_USERS, staff, true, Map.of("first", first, "second", second));
        assertThat(result.getErrors()).isEmpty();
        return result.getData();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(Map<String, Object> data, String alias) {
        return (Map<String, Object>) data.get(alias);
    }

    private long usersNamed(String username) {
        return jdbc.sql("select count(*) from users where username = :name").param("name", username).query(Long.class).single();
    }
}
