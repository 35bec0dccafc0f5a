package dev.ordergraph.e2e.mutations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.LocalDate;
import java.util.Map;

import static dev.ordergraph.e2e.mutations.Mutations.PAYLOAD_ERRORS;
import static dev.ordergraph.e2e.mutations.Mutations.fieldErrors;
import static dev.ordergraph.e2e.mutations.Mutations.freshName;
import static dev.ordergraph.e2e.mutations.Mutations.orderRow;
import static dev.ordergraph.e2e.mutations.Mutations.ordersOf;
import static dev.ordergraph.e2e.mutations.Mutations.usersNamed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * All mutation fields of one request to a subgraph are saved together or not at all (the seeds'
 * "increase twice, second invalid"), through the gateway as well as straight to the subgraph; with
 * atomic mutations off, each field stands alone; fields spanning both subgraphs are atomic per subgraph.
 */
class AtomicMutationsTest extends GatewayTest {

    private static final String TWO_USERS = """
            mutation($first: CreateUserInput!, $second: CreateUserInput!) {
              first: createUser(input: $first) { user { username } %1$s }
              second: createUser(input: $second) { user { username } %1$s }
            }""".formatted(PAYLOAD_ERRORS);

    private final GraphQlClient staff = gateway(Tokens.staff(TestData.user("atomicstaff")));

    @Test
    void whenTheSecondFieldIsInvalidTheFirstIsRolledBackAndBothPayloadsSaySo() {
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
    void whenEveryFieldSucceedsAllAreSaved() {
        String a = freshName("a");
        String b = freshName("b");

        Response response = staff.execute(TWO_USERS, Map.of(
                "first", Map.of("username", a, "email", a + "@example.com"),
                "second", Map.of("username", b, "email", b + "@example.com")));

        assertThat(response.data().path("first").path("errors").size()).as(response.toString()).isZero();
        assertThat(response.data().path("second").path("user").path("username").asString()).isEqualTo(b);
        assertThat(usersNamed(a) + usersNamed(b)).isEqualTo(2);
    }

    @Test
    void aForbiddenFieldRollsBackTheFieldsBeforeIt() {
        long owner = TestData.user("atomicowner");
        long foreign = TestData.orders(TestData.user("atomicother"), 1, LocalDate.of(2026, 2, 2), "UNPAID").getFirst();
        GraphQlClient client = gateway(Tokens.viewer(owner));

        Response response = client.execute("""
                mutation($foreign: ID!) {
                  mine: createOrder(input: {state: PAID}) { order { id } ...CreateErrors }
                  theirs: updateOrder(input: {id: $foreign, state: PAID}) { order { id } ...UpdateErrors }
                }
                fragment CreateErrors on CreateOrderPayload { errors { field messages } }
                fragment UpdateErrors on UpdateOrderPayload { errors { field messages } }
                """,
                Map.of("foreign", TestData.globalId("Order", foreign)));

        assertThat(response.errorCodes()).as(response.toString()).containsExactly("FORBIDDEN");
        assertThat(ordersOf(owner)).as("the first field's order is rolled back").isZero();
        assertThat(response.data().path("theirs").isNull()).as(response.toString()).isTrue();
        assertThat(response.data().path("mine").path("order").isNull()).isTrue();
        assertThat(fieldErrors(response.data().path("mine")).get("__all__").getFirst()).contains("mutation field 2 (`updateOrder`)");
        assertThat(orderRow(foreign)).startsWith("2026-02-02|UNPAID|");
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

    @Test
    void withAtomicMutationsOffTheFirstFieldsWriteStays() {
        int port = 18083;
        ServiceProcess nonAtomic = stack.startUsersService(port, Map.of("ORDERGRAPH_MUTATIONS_ATOMIC", "false"));
        try {
            GraphQlClient direct = new GraphQlClient(URI.create("http://127.0.0.1:" + port + "/graphql"), Tokens.staff(TestData.user("nonatomic")));
            String valid = freshName("kept");

            Response response = direct.execute(TWO_USERS, Map.of(
                    "first", Map.of("username", valid, "email", valid + "@example.com"),
                    "second", Map.of("username", "!", "email", freshName("s") + "@example.com")));

            assertThat(usersNamed(valid)).as(response.toString()).isEqualTo(1);
            assertThat(response.data().path("first").path("user").path("username").asString()).isEqualTo(valid);
            assertThat(response.data().path("first").path("errors").size()).isZero();
            assertThat(fieldErrors(response.data().path("second"))).containsOnlyKeys("username");
        } finally {
            nonAtomic.stop();
        }
    }

    @Test
    void aFieldAfterTheFailedOneIsNotRunAndNothingOfItIsSaved() {
        String third = freshName("third");

        Response response = staff.execute("""
                mutation($bad: CreateUserInput!, $good: CreateUserInput!) {
                  bad: createUser(input: $bad) { user { username } errors { field messages } }
                  good: createUser(input: $good) { user { username } errors { field messages } }
                }""", Map.of(
                "bad", Map.of("username", "x", "email", "nope"),
                "good", Map.of("username", third, "email", third + "@example.com")));

        assertThat(usersNamed(third)).isZero();
        assertThat(response.data().path("good").path("user").isNull()).as(response.toString()).isTrue();
        assertThat(fieldErrors(response.data().path("good"))).containsOnlyKeys("__all__");
        assertThat(fieldErrors(response.data().path("bad"))).containsOnlyKeys("username", "email");
    }

    @Test
    void straightToTheSubgraphTheSameRequestIsAtomicToo() {
        String valid = freshName("direct");
        GraphQlClient direct = new GraphQlClient(stack.usersUrl(), Tokens.staff(TestData.user("directstaff")));

        Response response = direct.execute(TWO_USERS, Map.of(
                "first", Map.of("username", valid, "email", valid + "@example.com"),
                "second", Map.of("username", "!", "email", freshName("s") + "@example.com")));

        assertThat(usersNamed(valid)).as(response.toString()).isZero();
        assertThat(fieldErrors(response.data().path("first"))).containsOnlyKeys("__all__");
    }
}
