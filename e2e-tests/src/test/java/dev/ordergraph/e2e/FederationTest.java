package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.Map;

import static dev.ordergraph.e2e.support.Mutations.CREATE_ORDER;
import static dev.ordergraph.e2e.support.Mutations.input;
import static dev.ordergraph.e2e.support.Mutations.orderRow;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One request through the gateway answered by both subgraphs: a user's orders joined from orders-service,
 * an order's user from users-service. What each subgraph answers (visibility, pages, filters, mutation
 * rules) is tested in its own slice tests; here the point is the join.
 */
class FederationTest extends GatewayTest {

    @Test
    void userByIdReturnsTheUserWithTheirOrdersJoinedAcrossSubgraphs() {
        long owner = TestData.user("byid");
        TestData.orders(owner, 2, LocalDate.of(2026, 1, 5), "UNPAID");

        Response response = gateway(Tokens.viewer(owner)).operation("userById", Map.of("id", TestData.globalId("User", owner)));

        JsonNode user = response.data().path("user");
        assertThat(response.errors().isMissingNode()).as(response.toString()).isTrue();
        assertThat(user.path("id").asString()).isEqualTo(TestData.globalId("User", owner));
        assertThat(user.path("username").asString()).isEqualTo(TestData.username(owner));
        assertThat(user.path("email").asString()).isEqualTo(TestData.username(owner) + "@example.test");
        assertThat(user.path("dateJoined").asString()).isNotBlank();
        assertThat(user.path("orders").path("edges").size()).isEqualTo(2);
    }

    @Test
    void aNewOrdersUserIsResolvedByTheUsersSubgraph() {
        long owner = TestData.user("buyer");
        GraphQlClient client = gateway(Tokens.viewer(owner));

        Response response = client.execute(CREATE_ORDER, input("clientMutationId", "o-1"));

        JsonNode payload = response.data().path("createOrder");
        assertThat(payload.path("errors").size()).as(response.toString()).isZero();
        assertThat(payload.path("clientMutationId").asString()).isEqualTo("o-1");
        JsonNode order = payload.path("order");
        assertThat(order.path("user").path("username").asString()).as("resolved by the users subgraph").isEqualTo(TestData.username(owner));
        assertThat(orderRow(TestData.databaseId(order.path("id").asString()))).isEqualTo(order.path("date").asString() + "|UNPAID|" + owner);
    }
}
