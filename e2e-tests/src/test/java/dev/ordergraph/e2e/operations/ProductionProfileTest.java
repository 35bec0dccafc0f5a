package dev.ordergraph.e2e.operations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introspection is for development tools (Apollo Sandbox, GraphiQL): on in the dev stack, off in production,
 * at the gateway ({@code NODE_ENV=production}) and at each subgraph ({@code prod} profile). The subgraph
 * still answers {@code _service { sdl }}, which gateways and rover use.
 */
class ProductionProfileTest extends GatewayTest {

    private static final String INTROSPECTION = "{ __schema { queryType { name } } }";

    @Test
    void introspectionIsOnInDevelopment() {
        Response gateway = anonymous().execute(INTROSPECTION);
        assertThat(gateway.data().path("__schema").path("queryType").path("name").asString()).as(gateway.toString()).isEqualTo("Query");
        Response subgraph = new GraphQlClient(stack.usersUrl(), null).execute(INTROSPECTION);
        assertThat(subgraph.data().path("__schema").path("queryType").path("name").asString()).as(subgraph.toString()).isEqualTo("Query");
    }

    @Test
    void aSubgraphInTheProdProfileRefusesIntrospectionButServesItsSdlAndData() {
        // As in production: only signed requests (these are signed here as a gateway signs them).
        URI url = stack.productionUsersUrl();
        long user = TestData.user("produser");

        Response introspection = new GraphQlClient(url, Tokens.viewer(user)).executeSigned(Stack.HMAC_SECRET, INTROSPECTION, Map.of());
        assertThat(introspection.data().path("__schema").isMissingNode() || introspection.data().path("__schema").isNull())
                .as(introspection.toString()).isTrue();
        assertThat(introspection.errors().isEmpty()).as(introspection.toString()).isFalse();

        Response sdl = new GraphQlClient(url, null).executeSigned(Stack.HMAC_SECRET, "{ _service { sdl } }", Map.of());
        assertThat(sdl.data().path("_service").path("sdl").asString()).contains("type User @key");
        Response me = new GraphQlClient(url, Tokens.viewer(user)).executeSigned(Stack.HMAC_SECRET, "{ me { username } }", Map.of());
        assertThat(me.data().path("me").path("username").asString()).as(me.toString()).isEqualTo(TestData.username(user));
    }

    @Test
    void theGatewayInProductionRefusesIntrospectionButServesQueries() {
        ServiceProcess prod = stack.startGateway(14010, Map.of("NODE_ENV", "production"));
        try {
            URI url = URI.create("http://127.0.0.1:14010/graphql");
            long owner = TestData.user("prodgw");

            Response introspection = new GraphQlClient(url, null).execute(INTROSPECTION);
            assertThat(introspection.errors().isEmpty()).as(introspection.toString()).isFalse();
            assertThat(introspection.body()).doesNotContain("\"queryType\"");

            Response orders = new GraphQlClient(url, Tokens.viewer(owner)).execute("{ me { username } }");
            assertThat(orders.data().path("me").path("username").asString()).as(orders.toString()).isEqualTo(TestData.username(owner));
        } finally {
            prod.stop();
        }
    }
}
