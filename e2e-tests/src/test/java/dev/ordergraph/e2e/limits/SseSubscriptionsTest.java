package dev.ordergraph.e2e.limits;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.SseClient;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions over Server-Sent Events under the same rules as over WebSocket, on a gateway of the test's
 * own with a per-viewer cap of 3: they count against the cap (with the viewer's WebSocket ones), identical
 * ones share one upstream subscription, and one client's abort ends only its own stream.
 */
class SseSubscriptionsTest extends GatewayTest {

    private static final int PORT = 14097;
    private static final int PER_VIEWER = 3;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CHANGES = "subscription { orderChanges { action order { id user { username } } } }";
    private static ServiceProcess gateway;

    private final URI url = URI.create("http://127.0.0.1:" + PORT + "/graphql");

    @BeforeAll
    static void startGateway() {
        gateway = Stack.get().startGateway(PORT, Map.of("MAX_SUBSCRIPTIONS_PER_VIEWER", String.valueOf(PER_VIEWER)));
    }

    @AfterAll
    static void stopGateway() {
        gateway.stop();
    }

    @Test
    void sseSubscriptionsCountAgainstTheViewersCapWithTheirWebSocketOnes() {
        long owner = TestData.user("ssecap");
        String token = Tokens.viewer(owner);
        List<SseClient> open = new ArrayList<>();
        long before = upstreamSubscriptions();
        try (GraphQlWsClient ws = GraphQlWsClient.subscribe(url, token, CHANGES, Map.of())) {
            for (int i = 1; i < PER_VIEWER; i++) {
                open.add(SseClient.subscribe(url, token, "subscription { orderChanges(filter: {state: PAID}) { action } }", Map.of()));
            }
            assertThat(open).allSatisfy(sse -> assertThat(sse.status()).isEqualTo(200));
            awaitUpstream(before + 2); // the WebSocket one, and the two identical SSE ones sharing a stream

            try (SseClient past = SseClient.subscribe(url, token, CHANGES, Map.of())) {
                JsonNode refused = past.poll(WAIT);
                assertThat(refused).as("the subscription past the cap is answered").isNotNull();
                assertThat(refused.toString()).contains("TOO_MANY_SUBSCRIPTIONS");
            }

            // A place given back is a place to take again, and the ones still open are served.
            open.removeFirst().close();
            try (SseClient again = subscribeOnceAPlaceIsFree(token)) {
                long id = TestData.orders(owner, 1, LocalDate.of(2026, 9, 9), "UNPAID").getFirst();
                JsonNode event = again.poll(WAIT);
                assertThat(event).as("the new stream is served").isNotNull();
                assertThat(event.path("data").path("orderChanges").path("order").path("id").asString())
                        .as(event.toString()).isEqualTo(TestData.globalId("Order", id));
                assertThat(ws.awaitData(1, WAIT).getFirst().path("orderChanges").path("order").path("id").asString())
                        .isEqualTo(TestData.globalId("Order", id));
            }
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void identicalSseSubscriptionsShareOneUpstreamStreamAndOneAbortEndsOnlyItsOwn() {
        long owner = TestData.user("sseshare");
        String token = Tokens.viewer(owner);
        long before = upstreamSubscriptions();
        try (SseClient first = SseClient.subscribe(url, token, CHANGES, Map.of());
             SseClient second = SseClient.subscribe(url, token, CHANGES, Map.of())) {
            awaitUpstream(before + 1);
            ServiceProcess.sleep(500);
            assertThat(upstreamSubscriptions()).as("one upstream subscription for both").isEqualTo(before + 1);

            long created = TestData.orders(owner, 1, LocalDate.of(2026, 9, 10), "UNPAID").getFirst();
            assertThat(orderId(first.poll(WAIT))).isEqualTo(TestData.globalId("Order", created));
            assertThat(orderId(second.poll(WAIT))).isEqualTo(TestData.globalId("Order", created));

            first.close();
            long next = TestData.orders(owner, 1, LocalDate.of(2026, 9, 11), "UNPAID").getFirst();
            JsonNode event = second.poll(WAIT);
            assertThat(orderId(event)).as("the other client's stream goes on: " + event).isEqualTo(TestData.globalId("Order", next));
        }
    }

    /** Subscribes as soon as the gateway has seen a client leave (it learns of an SSE abort a moment later). */
    private SseClient subscribeOnceAPlaceIsFree(String token) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (;;) {
            SseClient sse = SseClient.subscribe(url, token, CHANGES, Map.of());
            JsonNode first = sse.poll(Duration.ofMillis(300));
            if (first == null) {
                return sse; // open, waiting for changes
            }
            sse.close();
            assertThat(first.toString()).as("only the cap refuses it").contains("TOO_MANY_SUBSCRIPTIONS");
            assertThat(System.nanoTime()).as("a place is given back").isLessThan(deadline);
            ServiceProcess.sleep(100);
        }
    }

    private static String orderId(JsonNode event) {
        assertThat(event).as("an event").isNotNull();
        return event.path("data").path("orderChanges").path("order").path("id").asString();
    }

    private long upstreamSubscriptions() {
        return (long) dev.ordergraph.e2e.support.Prometheus.metric(
                Stack.management(stack.ordersUrl()).resolve("/actuator/prometheus"), "ordergraph_subscriptions_active");
    }

    private void awaitUpstream(long count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (upstreamSubscriptions() < count && System.nanoTime() < deadline) {
            ServiceProcess.sleep(50);
        }
        assertThat(upstreamSubscriptions()).isGreaterThanOrEqualTo(count);
    }
}
