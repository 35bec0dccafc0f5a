package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad request the gateway meets first gets a clear 4xx or GraphQL error, never a 500, and the
 * stack keeps serving. (Bad arguments a subgraph refuses, such as a malformed global ID or page size, are
 * tested in its slice tests: OrderQueriesTest, UserQueriesTest.)
 */
class BadInputTest extends GatewayTest {

    private final long viewer = TestData.user("badinput");
    private final GraphQlClient client = gateway(Tokens.viewer(viewer));

    @AfterEach
    void theStackStillAnswers() {
        TestData.orders(viewer, 1, LocalDate.of(2026, 7, 1), "PAID");
        Response response = client.execute("{ getOrders { id user { username } } }");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.data().path("getOrders").size()).as(response.toString()).isPositive();
    }

    @Test
    void malformedJsonIsA400() {
        Response response = client.post("{\"query\": \"{ getOrders { id } }\"");

        assertThat(response.status()).as(response.toString()).isBetween(400, 499);
    }

    @Test
    void aSyntaxErrorIsAGraphQlError() {
        Response response = client.execute("{ getOrders { id ");

        assertThat(response.status()).as(response.toString()).isLessThan(500);
        assertThat(response.errors().size()).isPositive();
        assertThat(response.errors().get(0).path("message").asString()).containsIgnoringCase("syntax");
    }

    @Test
    void anUnknownFieldIsAValidationError() {
        Response response = client.execute("{ getOrders { price } }");

        assertThat(response.status()).as(response.toString()).isLessThan(500);
        assertThat(response.errors().get(0).path("message").asString()).contains("price");
    }

    @Test
    void aWrongTypeVariableIsAGraphQlError() {
        Response response = client.execute("query($first: Int) { orders(first: $first) { edges { cursor } } }", Map.of("first", "ten"));

        assertThat(response.status()).as(response.toString()).isBetween(200, 499);
        assertThat(response.errors().size()).isPositive();
    }

    @Test
    void aThirtyLevelDeepQueryIsRefusedBeforeItReachesTheSubgraphs() {
        // me > orders > edges > node > user > orders > ... : 30 levels of fields.
        StringBuilder query = new StringBuilder("{ me ");
        for (int level = 1; level < 30; level += 4) {
            query.append("{ orders { edges { node { user ");
        }
        query.append("{ id }");
        long open = query.chars().filter(c -> c == '{').count() - query.chars().filter(c -> c == '}').count();
        query.append(" }".repeat((int) open));

        Response response = client.execute(query.toString());

        assertThat(response.status()).as(response.toString()).isLessThan(500);
        assertThat(response.errors().size()).isPositive();
        assertThat(response.errors().get(0).path("message").asString()).containsIgnoringCase("depth");
    }

    /**
     * A body sent in chunks, without Content-Length, is held to the same limit by the bytes read: 1 MB and
     * 10 MB are refused with 413 before reaching a subgraph; a small chunked request is served as usual.
     */
    @Test
    void aChunkedBodyIsHeldToTheSizeLimitByItsBytes() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        String token = Tokens.viewer(viewer);
        for (int megabytes : new int[]{1, 10}) {
            String padding = "x".repeat(megabytes << 20);
            String body = "{\"query\": \"{ getOrders { id } }\", \"variables\": {\"pad\": \"" + padding + "\"}}";
            var response = http.send(chunked(token, body), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(megabytes + " MB").isEqualTo(413);
            assertThat(new Response(response.statusCode(), response.body()).errorCodes()).containsExactly("REQUEST_TOO_LARGE");
        }
        var small = http.send(chunked(token, "{\"query\": \"{ getOrders { id } }\"}"), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
        assertThat(new Response(small.statusCode(), small.body()).errors().isMissingNode()).as(small.body()).isTrue();
    }

    /** A POST whose body length is unknown to the client, so it is sent with Transfer-Encoding: chunked. */
    private java.net.http.HttpRequest chunked(String token, String body) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.net.http.HttpRequest.newBuilder(stack.gatewayUrl())
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
                .build();
    }

    /**
     * Operations that would make the subgraphs produce too many objects are refused by the gateway before
     * any subgraph call, with a stable code: nested pages of 100 under three aliases (about 60,000 objects),
     * and 100 aliases of getOrders (each up to 1,000 orders).
     */
    @Test
    void anOperationEstimatedTooExpensiveIsRefusedBeforeItRuns() {
        String nested = "orders(first: 100) { edges { node { user { orders(first: 100) { edges { node { id } } } } } } }";
        String threeNested = "{ a: " + nested + " b: " + nested + " c: " + nested + " }";
        StringBuilder aliases = new StringBuilder("{");
        for (int i = 0; i < 4; i++) { // few aliases (MAX_ALIASES refuses many), each a list of up to 1,000 with pages under it
            aliases.append(" o").append(i).append(": getOrders { id user { orders(first: 20) { edges { node { id } } } } }");
        }
        aliases.append(" }");
        GraphQlClient staff = gateway(Tokens.staff(viewer));
        long statementsBefore = stack.sqlStatements(stack.ordersUrl());

        for (String query : new String[]{threeNested, aliases.toString()}) {
            long start = System.nanoTime();
            Response response = staff.execute(query);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("[cost] refused in " + millis + " ms");
            assertThat(response.status()).as(response.toString()).isLessThan(500);
            assertThat(response.errorCodes()).as(response.toString()).containsExactly("COST_ESTIMATED_TOO_EXPENSIVE");
            assertThat(response.data().isNull() || response.data().isMissingNode()).as(response.toString()).isTrue();
        }
        assertThat(stack.sqlStatements(stack.ordersUrl())).as("no subgraph ran them").isEqualTo(statementsBefore);
        assertThat(staff.execute("{ " + nested + " }").errors().isMissingNode()).as("one such page is fine").isTrue();
    }
}
