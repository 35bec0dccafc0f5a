package dev.ordergraph.e2e.limits;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.SseClient;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's limits on every road a client can take: a price computed from the values execution will
 * use (a null variable included), subscriptions priced per batch, the same size, depth and cost limits
 * over WebSocket as over HTTP, and a stable code on every refusal. After each refusal the gateway still
 * serves (a positive control).
 */
class GatewayLimitsTest extends GatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Three aliased three-level pages. A null or missing {@code $n} is served as the schema's default page
     * (20), about 53,000 objects in all; {@code $n = 100} would be millions. Both are over MAX_COST (50,000).
     */
    private static final String THREE_THREE_LEVEL_PAGES = """
            query($n: Int) {
              a: orders(first: $n) { edges { node { user { orders(first: $n) { edges { node { user { orders(first: $n) { edges { node { id } } } } } } } } } } }
              b: orders(first: $n) { edges { node { user { orders(first: $n) { edges { node { user { orders(first: $n) { edges { node { id } } } } } } } } } } }
              c: orders(first: $n) { edges { node { user { orders(first: $n) { edges { node { user { orders(first: $n) { edges { node { id } } } } } } } } } } }
            }""";
    /** A per-change subscription whose every change brings a page of 100 orders: 1,000 changes a batch. */
    private static final String COSTLY_SUBSCRIPTION =
            "subscription { orderChanges { order { user { orders(first: 100) { edges { node { id state } } } } } } }";

    private final long viewer = TestData.user("limits");
    private final String token = Tokens.staff(viewer);

    @Test
    void aNullOrMissingPageSizeIsPricedAsTheServiceWillServeIt() {
        Map<String, Object> nullSize = new HashMap<>();
        nullSize.put("n", null);
        for (Map<String, Object> variables : java.util.List.of(nullSize, Map.<String, Object>of(), Map.<String, Object>of("n", 100))) {
            Response response = gateway(token).execute(THREE_THREE_LEVEL_PAGES, variables);

            assertThat(response.errorCodes()).as(variables + ": " + response.body().substring(0, Math.min(400, response.body().length())))
                    .containsExactly("COST_ESTIMATED_TOO_EXPENSIVE");
            assertThat(response.body().length()).as("refused, not answered").isLessThan(2000);
        }
        stillServes();
    }

    @Test
    void aSubscriptionIsPricedForTheLargestBatchItCanReceiveOverWebSocketAndSse() {
        try (GraphQlWsClient ws = GraphQlWsClient.subscribe(stack.gatewayUrl(), token, COSTLY_SUBSCRIPTION, Map.of())) {
            JsonNode refused = ws.poll(WAIT);
            assertThat(refused).as("answered at subscribe time").isNotNull();
            assertThat(refused.toString()).contains("COST_ESTIMATED_TOO_EXPENSIVE");
        }
        try (SseClient sse = SseClient.subscribe(stack.gatewayUrl(), token, COSTLY_SUBSCRIPTION, Map.of())) {
            JsonNode refused = sse.poll(WAIT);
            assertThat(refused).as("answered at subscribe time").isNotNull();
            assertThat(refused.toString()).contains("COST_ESTIMATED_TOO_EXPENSIVE");
        }
        stillServes();
    }

    @Test
    void aQueryTooDeepIsRefusedWithACodeOverHttpAndWebSocket() {
        String deep = "{ me { orders { edges { node { user { orders { edges { node { user { orders { edges { node { id } } } } } } } } } } } } }";

        Response http = gateway(token).execute(deep);
        assertThat(http.errorCodes()).as(http.toString()).containsExactly("MAX_DEPTH_EXCEEDED");

        try (GraphQlWsClient ws = GraphQlWsClient.connect(stack.gatewayUrl(), token)) {
            ws.subscribe("deep", deep, Map.of());
            JsonNode refused = ws.poll(WAIT);
            assertThat(refused).isNotNull();
            assertThat(refused.toString()).as(refused.toString()).contains("MAX_DEPTH_EXCEEDED");
        }
        stillServes();
    }

    @Test
    void aQueryOverWebSocketGetsTheSameCostLimitAsOverHttp() {
        try (GraphQlWsClient ws = GraphQlWsClient.connect(stack.gatewayUrl(), token)) {
            ws.subscribe("pages", THREE_THREE_LEVEL_PAGES, Map.of("n", 100));
            JsonNode refused = ws.poll(WAIT);
            assertThat(refused).isNotNull();
            assertThat(refused.toString()).contains("COST_ESTIMATED_TOO_EXPENSIVE");
        }
        stillServes();
    }

    /**
     * A WebSocket message larger than MAX_REQUEST_BYTES closes the connection with 1009 at once, before the
     * gateway buffers it: a 30 MB {@code subscribe} and a 1 MB query alike (over HTTP the same is a 413).
     */
    @Test
    void aWebSocketMessageOverTheSizeLimitClosesTheConnectionWith1009() {
        long rssBefore = stack.gateway.rssMiB();
        for (int bytes : new int[] {30 << 20, 1 << 20}) {
            String padding = "x".repeat(bytes);
            String message = "{\"id\":\"big\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ me { id } }\",\"variables\":{\"pad\":\"" + padding + "\"}}}";
            try (GraphQlWsClient ws = GraphQlWsClient.connect(stack.gatewayUrl(), token)) {
                long started = System.nanoTime();
                ws.sendRaw(message).exceptionally(e -> null);
                Integer code = ws.closeCode(Duration.ofSeconds(10));
                long ms = (System.nanoTime() - started) / 1_000_000;
                assertThat(code).as(bytes + " bytes").isEqualTo(1009);
                assertThat(ms).as("closed at once (%d ms)", ms).isLessThan(5000);
                assertThat(ws.poll(Duration.ofMillis(100))).as("never answered").isNull();
            }
        }
        assertThat(stack.gateway.rssMiB() - rssBefore).as("the 30 MB were not held").isLessThan(30);
        stillServes();
    }

    @Test
    void tooManyAliasesAreRefusedWithACode() {
        StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            query.append(" a").append(i).append(": me { id }");
        }
        Response response = gateway(token).execute(query.append(" }").toString());

        assertThat(response.errorCodes()).as(response.toString()).contains("MAX_ALIASES_EXCEEDED");
        stillServes();
    }

    /** The positive control after a refusal: the same client's next ordinary request is answered. */
    private void stillServes() {
        Response me = gateway(token).execute("{ me { username } }");
        assertThat(me.data().path("me").path("username").asString()).as(me.toString()).isEqualTo(TestData.username(viewer));
    }
}
