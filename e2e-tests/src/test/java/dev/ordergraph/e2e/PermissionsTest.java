package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens the services refuse, as a client meets the refusal: through the gateway, and straight at each
 * subgraph over HTTP (status 401) and WebSocket (close code 4401). Who may see what with a valid token is
 * tested in the subgraphs' slice tests (UserQueriesTest, OrderQueriesTest).
 */
class PermissionsTest extends GatewayTest {

    private final long bob = TestData.user("bob");
    private final long bobsOrder = TestData.orders(bob, 1, LocalDate.of(2026, 6, 1), "UNPAID").getFirst();

    @Test
    void aForgedOrExpiredTokenIsRefused() {
        for (String token : new String[]{Tokens.forged(bob), Tokens.expired(bob), "not-a-jwt"}) {
            Response response = gateway(token).execute("{ getOrders { id } }");

            assertThat(response.status()).as(response.toString()).isLessThan(500);
            assertThat(response.errorCodes()).as(response.toString()).contains("UNAUTHENTICATED");
            assertThat(response.body()).doesNotContain(TestData.globalId("Order", bobsOrder));
        }
    }

    /**
     * A correctly signed token whose {@code sub} is no user id is refused by each subgraph too (a client
     * may reach them without the gateway): 401 with {@code UNAUTHENTICATED}, fields needing no sign-in
     * included, and its WebSocket is closed with 4401.
     */
    @Test
    void aSignedTokenWhoseSubjectIsNotAUserIdIsUnauthenticatedAtEachSubgraph() {
        for (String sub : new String[]{"abc", "99999999999999999999", "-1", "0"}) {
            for (var url : java.util.List.of(stack.usersUrl(), stack.ordersUrl())) {
                Response response = new dev.ordergraph.e2e.support.GraphQlClient(url, Tokens.withSubject(sub)).execute("{ __typename }");
                assertThat(response.status()).as(sub + " at " + url + ": " + response).isEqualTo(401);
                assertThat(response.errorCodes()).as(response.toString()).containsExactly("UNAUTHENTICATED");
            }
            // Spring closes with 4401; now and then the client sees the TCP connection end before the close
            // frame (1006). No event either way; a close without the frame is tried again, up to three times.
            Integer code = null;
            for (int attempt = 0; attempt < 3 && (code == null || code != 4401); attempt++) {
                try (var client = dev.ordergraph.e2e.support.GraphQlWsClient.subscribe(stack.ordersUrl(), Tokens.withSubject(sub),
                        "subscription { orderChanges { cursor } }", Map.of())) {
                    code = client.closeCode(java.time.Duration.ofSeconds(10));
                    assertThat(code).as(sub).isIn(4401, 1006);
                    JsonNode message = client.poll(java.time.Duration.ofMillis(200));
                    assertThat(message == null ? "" : message.path("type").asString()).as("no event: " + message).isNotEqualTo("next");
                }
            }
            assertThat(code).as(sub + ": closed with graphql-ws' Unauthorized").isEqualTo(4401);
        }
    }
}
