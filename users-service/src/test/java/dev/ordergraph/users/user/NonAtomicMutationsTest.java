package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.platform.testing.GraphQl;
import dev.ordergraph.users.UsersSliceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.util.List;
import java.util.Map;

import static dev.ordergraph.platform.testing.GraphQl.fieldErrors;
import static dev.ordergraph.users.user.UserDocuments.TWO_USERS;
import static org.assertj.core.api.Assertions.assertThat;

/** With atomic mutations off ({@code ORDERGRAPH_MUTATIONS_ATOMIC=false}) each mutation field stands alone. */
@UsersSliceTest
@TestPropertySource(properties = "ordergraph.mutations.atomic=false")
class NonAtomicMutationsTest {

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theFirstFieldsWriteStaysWhenTheSecondFails() {
        long staff = jdbc.sql("insert into users (username, email) values ('staffer', 'staffer@example.test') returning id").query(Long.class).single();

        var result = new GraphQl(executor).execute(TWO_USERS, staff, true, Map.of(
                "first", Map.of("username", "kept", "email", "kept@example.com"),
                "second", Map.of("username", "!", "email", "s@example.com")));

        assertThat(result.getErrors()).isEmpty();
        Map<String, Map<String, Object>> data = result.getData();
        assertThat(jdbc.sql("select count(*) from users where username = 'kept'").query(Long.class).single()).isEqualTo(1);
        assertThat(data.get("first").get("user")).isEqualTo(Map.of("username", "kept"));
        assertThat(data.get("first").get("errors")).isEqualTo(List.of());
        assertThat(fieldErrors(data.get("second"))).containsOnlyKeys("username");
    }
}
