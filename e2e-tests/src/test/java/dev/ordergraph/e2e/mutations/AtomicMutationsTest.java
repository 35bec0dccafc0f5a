package dev.ordergraph.e2e.mutations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.Map;

import static dev.ordergraph.e2e.support.Mutations.PAYLOAD_ERRORS;
import static dev.ordergraph.e2e.support.Mutations.fieldErrors;
import static dev.ordergraph.e2e.support.Mutations.freshName;
import static dev.ordergraph.e2e.support.Mutations.ordersOf;
import static dev.ordergraph.e2e.support.Mutations.usersNamed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * All mutation fields of one request to a subgraph are saved together or not at all (the seeds'
 * "increase twice, second invalid"), through the gateway too: it passes a subgraph's fields on in one
 * request. Fields spanning both subgraphs are atomic per subgraph. (The rule itself, and atomic mutations
 * off, are tested in the subgraphs' slice tests: AtomicMutationsTest, NonAtomicMutationsTest, OrderMutationsTest.)
 */
class AtomicMutationsTest extends GatewayTest {

    private static final String TWO_USERS = """
            mutation($first: CreateUserInput!, $second: CreateUserInput!) {
              first: createUser(input: $first) { user { username } %1$s }
              second: createUser(input: $second) { user { username } %1$s }
            }""".formatted(PAYLOAD_ERRORS);

    private final GraphQlClient staff = gateway(Tokens.staff(TestData.user("atomicstaff")));

    @Test
    void throughTheGatewayWhenTheSecondFieldIsInvalidTheFirstIsRolledBack() {
        String valid = freshName("first");

        Response response = staff.execute(TWO_USERS, Map.of(
                "first", Map.of("username", valid, "email", valid + "@example.com", "clientMutationId", "1"),
                "second", Map.of("username", "!", "email", freshName("s") + "@example.com", "clientMutationId", "2")));

        assertThat(usersNamed(valid)).as("rolled back: " + response).isZero();
        JsonNode first = response.data().path("first");
        JsonNode second = response.data().path("second");
        assertThat(first.path("user").isNull()).as("not saved, so no user").isTrue();
        assertThat(fieldErrors(first)).containsOnlyKeys("__all__");
        assertThat(fieldErrors(first).get("__all__").getFirst()).contains("Nothing was saved").contains("mutation field 2 (`createUser`)");
        assertThat(fieldErrors(second)).as("the failed field gives its own reasons").containsOnlyKeys("username");
        assertThat(first.path("clientMutationId").asString()).isEqualTo("1");
        assertThat(second.path("clientMutationId").asString()).isEqualTo("2");
    }

    @Test
    void aRequestSpanningBothSubgraphsIsAtomicWithinEachOnly() {
        long staffId = TestData.user("spanstaff");
        String name = freshName("span");

        // The gateway sends createUser to the users subgraph and createOrder to the orders subgraph:
        // two requests, two transactions. The order fails; the user, committed by its own subgraph, stays.
        Response response = gateway(Tokens.staff(staffId)).execute("""
                mutation($user: CreateUserInput!, $order: CreateOrderInput!) {
                  createUser(input: $user) { user { username } errors { field } }
                  createOrder(input: $order) { order { id } errors { field } }
                }""", Map.of(
                "user", Map.of("username", name, "email", name + "@example.com"),
                "order", Map.of("date", LocalDate.now().plusDays(30).toString())));

        assertThat(fieldErrors(response.data().path("createOrder"))).as(response.toString()).containsOnlyKeys("date");
        assertThat(response.data().path("createUser").path("errors").size()).isZero();
        assertThat(usersNamed(name)).isEqualTo(1);
        assertThat(ordersOf(staffId)).isZero();
    }
}
