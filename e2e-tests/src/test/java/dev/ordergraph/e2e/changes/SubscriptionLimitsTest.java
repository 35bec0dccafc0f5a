package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.ordergraph.e2e.support.Subscriptions.CHANGES_LEAN;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's caps on open subscriptions (MAX_SUBSCRIPTIONS_PER_CONNECTION, 100 by default). */
class SubscriptionLimitsTest extends ChangeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PER_CONNECTION = 100;

    @Test
    void aConnectionPastItsCapIsRefusedThatSubscriptionAndKeepsTheOthers() {
        long owner = TestData.user("subcap");
        Map<String, Object> variables = Map.of();
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES_LEAN, variables)) {
            for (int id = 2; id <= PER_CONNECTION + 1; id++) {
                client.subscribe(String.valueOf(id), CHANGES_LEAN, variables);
            }
            JsonNode refused = client.poll(WAIT);
            assertThat(refused).as("the subscription past the cap is answered").isNotNull();
            assertThat(refused.path("id").asString()).isEqualTo(String.valueOf(PER_CONNECTION + 1));
            assertThat(refused.toString()).contains("TOO_MANY_SUBSCRIPTIONS");
            JsonNode completed = client.poll(WAIT);
            assertThat(completed.path("type").asString()).isEqualTo("complete");

            // A place given back is a place to take again, and every open subscription still gets changes.
            client.complete("1");
            client.subscribe("again", CHANGES_LEAN, variables);
            client.assertNothingFor(Duration.ofSeconds(1));
            awaitSubscribed(PER_CONNECTION);
            TestData.orders(owner, 1, LocalDate.of(2026, 12, 1), "UNPAID");
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < PER_CONNECTION; i++) {
                JsonNode message = client.poll(WAIT);
                assertThat(message).as("event %d of %d", i + 1, PER_CONNECTION).isNotNull();
                assertThat(message.path("type").asString()).as(message.toString()).isEqualTo("next");
                assertThat(message.path("payload").has("errors")).as(message.toString()).isFalse();
                answered.add(message.path("id").asString());
            }
            assertThat(answered).hasSize(PER_CONNECTION).contains("again").doesNotContain("1");
        }
    }

    /**
     * Subscribe-and-leave churn through the gateway: 1,000 clients each open a subscription with a filter
     * no change matches (so no event ever comes to close it), then half send {@code complete} and half close
     * their WebSocket. Every 50th waits until its subscription is open at orders-service before it leaves,
     * and that one is released there at once; at the end orders-service's open subscriptions are back to
     * where they were.
     */
    @Test
    void subscriptionsLeftThroughTheGatewayAreReleasedUpstream() {
        String staff = Tokens.staff(TestData.user("churn"));
        int before = stack.activeSubscriptions();
        long slowestRelease = 0;
        for (int cycle = 0; cycle < 1_000; cycle++) {
            // A distinct filter each time, so no two share an upstream subscription.
            Map<String, Object> quiet = Map.of("filter", Map.of("userId", TestData.globalId("User", 4_000_000_000L + cycle)));
            GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), staff, CHANGES_LEAN, quiet);
            boolean checked = cycle % 50 == 0;
            if (checked) {
                stack.awaitSubscriptions(before + 1);
            }
            if (cycle % 2 == 0) {
                client.complete("1");
            }
            client.close();
            if (checked) {
                long left = System.nanoTime();
                stack.awaitSubscriptions(active -> active <= before, "released after cycle " + cycle);
                slowestRelease = Math.max(slowestRelease, (System.nanoTime() - left) / 1_000_000);
            }
        }
        stack.awaitSubscriptions(active -> active <= before, "back to " + before + " after 1,000 cycles");
        System.out.println("[churn] an open subscription left through the gateway was released upstream within "
                + slowestRelease + " ms (slowest of 20)");
        assertThat(slowestRelease).as("released upstream when its client leaves, not at its next event").isLessThan(5_000);
    }

    /**
     * A subscription too large for orders-service's WebSocket message buffer is refused at the gateway. It
     * would otherwise close the connection the gateway shares between clients (one lane per token, so a
     * second connection with the same token is on the same lane), and every subscription on it.
     */
    @Test
    void aSubscriptionTooLargeForTheSharedUpstreamConnectionIsRefusedAloneAndTheLaneServesOn() {
        long owner = TestData.user("lanesize");
        String token = Tokens.viewer(owner);
        String withAfter = "subscription($after: String) { orderChanges(after: $after) { action order { id } } }";
        try (GraphQlWsClient bystander = GraphQlWsClient.subscribe(stack.gatewayUrl(), token, CHANGES_LEAN, Map.of());
             GraphQlWsClient large = GraphQlWsClient.subscribe(stack.gatewayUrl(), token, withAfter, Map.of("after", "x".repeat(20_000)))) {
            JsonNode refused = large.poll(WAIT);
            assertThat(refused).isNotNull();
            assertThat(refused.toString()).contains("BAD_USER_INPUT").contains("too large");
            awaitSubscribed(1);
            long order = TestData.orders(owner, 1, LocalDate.of(2026, 12, 2), "UNPAID").getFirst();
            JsonNode change = bystander.awaitData(1, WAIT).getFirst().path("orderChanges");
            assertThat(change.path("order").path("id").asString()).isEqualTo(TestData.globalId("Order", order));
        }
    }
}
