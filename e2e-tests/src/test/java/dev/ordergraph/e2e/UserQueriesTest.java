package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserQueriesTest extends GatewayTest {

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
    void anUnknownUserIsNull() {
        Response response = gateway(Tokens.viewer(1)).operation("userById", Map.of("id", TestData.globalId("User", 987654321)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.data().path("user").isNull()).as(response.toString()).isTrue();
    }

    @Test
    void meIsTheViewerAndNullWithoutAToken() {
        long viewer = TestData.user("me");

        Response signedIn = gateway(Tokens.viewer(viewer)).execute("{ me { id username } }");
        Response anonymous = anonymous().execute("{ me { id username } }");

        assertThat(signedIn.data().path("me").path("id").asString()).isEqualTo(TestData.globalId("User", viewer));
        assertThat(signedIn.data().path("me").path("username").asString()).isEqualTo(TestData.username(viewer));
        assertThat(anonymous.data().path("me").isNull()).as(anonymous.toString()).isTrue();
    }

    @Test
    void usersPagesInSignUpOrder() {
        long a = TestData.user("list");
        long b = TestData.user("list");
        String afterA = gateway(Tokens.viewer(a)).execute("{ users(first: 100) { edges { cursor node { id } } } }")
                .data().path("users").path("edges").valueStream()
                .filter(edge -> edge.path("node").path("id").asString().equals(TestData.globalId("User", a)))
                .findFirst().orElseThrow().path("cursor").asString();

        Response next = gateway(Tokens.viewer(a)).execute(
                "query($after: String) { users(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }",
                Map.of("after", afterA));

        assertThat(next.data().path("users").path("edges").get(0).path("node").path("id").asString())
                .as(next.toString()).isEqualTo(TestData.globalId("User", b));
    }
}
