package dev.ordergraph.e2e.limits;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subgraphs serve GraphQL to a gateway only: a users-service run as in production (the stack's shared
 * {@link Stack#productionUsersService()}, without SUBGRAPH_ALLOW_UNSIGNED) answers what its gateway signed
 * and refuses a direct client, with or without a token, and a gateway that signs with another secret. A bad signature is refused even where unsigned
 * calls are let in (the test stack's services), over HTTP and WebSocket. Health and metrics are on the
 * management port only. (The bound on {@code _entities} is tested in the slice tests: UserQueriesTest, OrderRulesTest.)
 */
class SignedSubgraphTest extends GatewayTest {

    private static final int GATEWAY_PORT = 14095;
    private static final int WRONG_GATEWAY_PORT = 14096;
    private static ServiceProcess gateway;
    private static ServiceProcess wrongGateway;

    private final URI strictUsersUrl = stack.productionUsersUrl();

    @BeforeAll
    static void startGateways() {
        Stack stack = Stack.get();
        String users = stack.productionUsersUrl().toString();
        // Two gateways in front of the production users-service, started together.
        CompletableFuture<ServiceProcess> signing = CompletableFuture.supplyAsync(() ->
                stack.startGateway(GATEWAY_PORT, Map.of("USERS_URL", users)));
        CompletableFuture<ServiceProcess> wronglySigning = CompletableFuture.supplyAsync(() ->
                stack.startGateway(WRONG_GATEWAY_PORT, Map.of("USERS_URL", users,
                        "GATEWAY_HMAC_SECRET", "another-secret-than-the-services-0123456789")));
        try {
            gateway = signing.join();
        } finally {
            wrongGateway = wronglySigning.join();
        }
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess process : new ServiceProcess[] {wrongGateway, gateway}) {
            if (process != null) {
                process.stop();
            }
        }
    }

    @Test
    void whatTheGatewaySignedIsServedAndADirectCallIsRefused() {
        long owner = TestData.user("signed");
        String token = Tokens.viewer(owner);

        Response throughGateway = new GraphQlClient(URI.create("http://127.0.0.1:" + GATEWAY_PORT + "/graphql"), token)
                .execute("query($id: ID!) { me { username } user(id: $id) { username } }", Map.of("id", TestData.globalId("User", owner)));
        assertThat(throughGateway.errors().isEmpty()).as(throughGateway.toString()).isTrue();
        assertThat(throughGateway.data().path("me").path("username").asString()).isEqualTo(TestData.username(owner));
        assertThat(throughGateway.data().path("user").path("username").asString()).isEqualTo(TestData.username(owner));

        // Signed with the gateways' secret (as a gateway would), a direct request is served: the signature is
        // what the subgraph trusts, computed over the query and variables as Hive Gateway computes it.
        Response signed = new GraphQlClient(strictUsersUrl, token).executeSigned(Stack.HMAC_SECRET,
                "query($id: ID!) { user(id: $id) { username } }", Map.of("id", TestData.globalId("User", owner)));
        assertThat(signed.errors().isEmpty()).as(signed.toString()).isTrue();
        assertThat(signed.data().path("user").path("username").asString()).isEqualTo(TestData.username(owner));

        for (String directToken : new String[] {token, null}) {
            Response direct = new GraphQlClient(strictUsersUrl, directToken).execute("{ me { username } }");
            assertThat(direct.errorCodes()).as(direct.toString()).containsExactly("FORBIDDEN");
            assertThat(direct.body()).doesNotContain(TestData.username(owner));
        }

        Response wrongSecret = new GraphQlClient(URI.create("http://127.0.0.1:" + WRONG_GATEWAY_PORT + "/graphql"), token)
                .execute("{ me { username } }");
        assertThat(wrongSecret.body()).as(wrongSecret.toString()).doesNotContain(TestData.username(owner));
        assertThat(wrongSecret.errors().isEmpty()).isFalse();
    }

    @Test
    void aBadSignatureIsRefusedEvenWhereUnsignedCallsAreLetIn() {
        long owner = TestData.user("badsig");
        String token = Tokens.viewer(owner);
        String forged = "{\"query\":\"{ me { username } }\",\"extensions\":{\"hmac-signature\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}}";

        Response http = new GraphQlClient(stack.usersUrl(), token).post(forged);
        assertThat(http.errorCodes()).as(http.toString()).containsExactly("FORBIDDEN");

        try (GraphQlWsClient ws = GraphQlWsClient.connect(stack.ordersUrl(), token)) {
            ws.subscribe("forged", "subscription { orderChanges { cursor } }", Map.of(),
                    Map.of("hmac-signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
            JsonNode refused = ws.poll(Duration.ofSeconds(10));
            assertThat(refused).isNotNull();
            assertThat(refused.toString()).as(refused.toString()).contains("FORBIDDEN");
        }
        Response control = new GraphQlClient(stack.usersUrl(), token).execute("{ me { username } }");
        assertThat(control.data().path("me").path("username").asString()).isEqualTo(TestData.username(owner));
    }

    @Test
    void healthAndMetricsAreOnTheManagementPortOnly() {
        for (URI subgraph : new URI[] {stack.usersUrl(), stack.ordersUrl()}) {
            for (String path : new String[] {"/actuator/health", "/actuator/prometheus", "/actuator/metrics"}) {
                assertThat(new GraphQlClient(subgraph.resolve(path), null).get().status()).as(subgraph + path).isIn(401, 403, 404);
            }
            assertThat(new GraphQlClient(Stack.management(subgraph).resolve("/actuator/health"), null).get().status()).isEqualTo(200);
        }
    }
}
