package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.ordergraph.e2e.support.Subscriptions.BATCHES_LEAN;
import static dev.ordergraph.e2e.support.Subscriptions.awaitBatches;
import static dev.ordergraph.e2e.support.Subscriptions.flatten;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber that stops reading is cut off with SLOW_CONSUMER once it is more than the allowed lag
 * behind, on {@code orderChanges} as on {@code orderChangeBatches}, while a subscriber that keeps up
 * receives every event. Directly against orders-service: the gateway would otherwise absorb the backlog
 * in its own buffers first.
 */
class SlowConsumerTest extends ChangeTest {

    /** Enough for a reader that stopped to fall the allowed lag behind, and more. */
    private static final int ROWS = Stack.CDC_MAX_LAG * 2 + 1000;
    /**
     * About 9 KB per event (the same order under 150 aliases), so that the events overflow what the
     * kernel's socket buffers on both ends absorb (tens of MB on loopback, a few thousand events) and
     * the reader then falls more than the allowed lag behind.
     */
    private static final String FAT_ORDER = IntStream.range(0, 150).mapToObj(i -> "o" + i + ": order { id state date }")
            .collect(Collectors.joining(" "));
    private static final String CHANGES_FAT = "subscription($filter: OrderFilter) { orderChanges(filter: $filter) { action cursor "
            + FAT_ORDER + " } }";
    private static final String BATCHES_FAT = "subscription($filter: OrderFilter) { orderChangeBatches(filter: $filter) { cursor changes { action cursor "
            + FAT_ORDER + " } } }";

    private static final String SLOW_CONSUMERS = "ordergraph.subscriptions.slow_consumers";

    @Test
    void aSubscriberThatStopsReadingIsCutOffWhileAFastOneKeepsEveryEvent() {
        cutOffWhileAFastOneKeepsEveryEvent(CHANGES_FAT);
    }

    @Test
    void aBatchSubscriberThatStopsReadingIsCutOffWhileAFastOneKeepsEveryEvent() {
        cutOffWhileAFastOneKeepsEveryEvent(BATCHES_FAT);
    }

    private void cutOffWhileAFastOneKeepsEveryEvent(String slowSubscription) {
        long owner = TestData.user("slow");
        String staff = Tokens.staff(TestData.user("slowstaff"));
        Map<String, Object> onlyOwner = Map.of("filter", Map.of("userId", TestData.globalId("User", owner)));
        // The reader that keeps up takes batches: one change per message could not keep pace with the
        // capture of a statement this large on a small machine, and would be cut off too.
        try (GraphQlWsClient fast = GraphQlWsClient.subscribe(stack.ordersUrl(), staff, BATCHES_LEAN, onlyOwner)) {
            awaitSubscribed(1);
            Sql.orders("insert into orders (date, state, user_id) select date '2026-12-01', 'UNPAID', " + owner
                    + " from generate_series(1, " + ROWS + ")");
            awaitBatches(fast, ROWS); // the inserts are through: what follows is the update alone
            double cutOffBefore = Stack.metric(stack.ordersUrl(), SLOW_CONSUMERS);
            try (GraphQlWsClient slow = GraphQlWsClient.subscribeWithoutReading(stack.ordersUrl(), staff, slowSubscription, onlyOwner)) {
                awaitSubscribed(2);

                Sql.orders("update orders set state = 'PAID' where user_id = " + owner);

                List<JsonNode> updated = flatten(awaitBatches(fast, ROWS));
                assertThat(updated).allSatisfy(c -> assertThat(c.path("action").asString()).isEqualTo("UPDATED"));
                assertThat(updated.stream().map(c -> c.path("order").path("id").asString()).distinct()).hasSize(ROWS);
                slow.resumeReading();
                // What the slow client's socket holds can be hundreds of megabytes of JSON (fat messages): on two
                // busy cores parsing one may pause longer than a second or two, so only a long silence (or the
                // message that ends the subscription) means the end.
                JsonNode last = slow.awaitEnd(Duration.ofSeconds(10), Duration.ofSeconds(10));
                assertThat(last).as("the slow subscriber's last message").isNotNull();
                assertThat(last.toString()).contains("SLOW_CONSUMER");
                // The meter the operators' alert watches (ops/prometheus/alerts.yml) counted it, and only it.
                assertThat(Stack.metric(stack.ordersUrl(), SLOW_CONSUMERS) - cutOffBefore).isEqualTo(1.0);
            }
        }
    }
}
