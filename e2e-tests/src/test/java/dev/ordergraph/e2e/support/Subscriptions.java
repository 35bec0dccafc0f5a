package dev.ordergraph.e2e.support;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The change subscriptions the tests send, and how they read batches of changes back. */
public final class Subscriptions {

    /** Every change with the order's fields from both subgraphs. */
    public static final String CHANGES = """
            subscription($filter: OrderFilter, $after: String) {
              orderChanges(filter: $filter, after: $after) {
                action cursor committedAt order { id state date user { username email } }
              }
            }""";
    /** Every change with the orders subgraph's own fields only. */
    public static final String CHANGES_LEAN = """
            subscription($filter: OrderFilter) { orderChanges(filter: $filter) { action cursor order { id state } } }""";
    /** {@code orderChangeBatches} with the order's fields from both subgraphs. */
    public static final String BATCHES = """
            subscription($filter: OrderFilter, $after: String) {
              orderChangeBatches(filter: $filter, after: $after) {
                cursor changes { action cursor order { id state user { username email } } }
              }
            }""";
    /** {@code orderChangeBatches} with the orders subgraph's own fields only. */
    public static final String BATCHES_LEAN = """
            subscription($filter: OrderFilter) { orderChangeBatches(filter: $filter) { cursor changes { action cursor order { id state } } } }""";
    /** What an {@code OrderChange} tells of a change beyond the order: before, fields, transaction, origin. */
    private static final String STORY_FIELDS = """
            action cursor changedFields
            order { id state date user { id username } }
            previous { id state date user { id username } }
            transaction { id committedAt last }
            origin { kind clientMutationId actor { id username } }""";
    /** Every change with its whole story. */
    public static final String CHANGES_STORY = "subscription($filter: OrderFilter, $after: String) { orderChanges(filter: $filter, after: $after) { "
            + STORY_FIELDS + " } }";
    /** {@code orderChangeBatches} with each change's whole story. */
    public static final String BATCHES_STORY = "subscription($filter: OrderFilter) { orderChangeBatches(filter: $filter) { cursor changes { "
            + STORY_FIELDS + " } } }";
    private static final Duration BATCH_WAIT = Duration.ofSeconds(60);

    private Subscriptions() {
    }

    /** One received batch. */
    public record Batch(String cursor, List<JsonNode> changes) {
    }

    /** Batches until {@code count} changes have arrived; fails on anything but data. */
    public static List<Batch> awaitBatches(GraphQlWsClient client, int count) {
        List<Batch> batches = new ArrayList<>();
        int changes = 0;
        while (changes < count) {
            JsonNode data = client.awaitData(1, BATCH_WAIT).getFirst().path("orderChangeBatches");
            List<JsonNode> list = new ArrayList<>();
            data.path("changes").forEach(list::add);
            batches.add(new Batch(data.path("cursor").asString(), list));
            changes += list.size();
        }
        assertThat(changes).as("changes received").isEqualTo(count);
        return batches;
    }

    /** The changes of {@code batches}, in order. */
    public static List<JsonNode> flatten(List<Batch> batches) {
        return batches.stream().flatMap(b -> b.changes().stream()).toList();
    }

    /** One event per row, no repeats, in the order the rows were inserted, i.e. commit order. */
    public static void assertExactlyOnceInOrder(List<JsonNode> events, String action) {
        Set<String> cursors = new HashSet<>();
        Set<String> orders = new HashSet<>();
        long previous = 0;
        for (JsonNode event : events) {
            JsonNode change = event.path("orderChanges");
            assertThat(change.path("action").asString()).isEqualTo(action);
            assertThat(cursors.add(change.path("cursor").asString())).as("repeated cursor").isTrue();
            assertThat(orders.add(change.path("order").path("id").asString())).as("repeated order").isTrue();
            long id = TestData.databaseId(change.path("order").path("id").asString());
            assertThat(id).as("commit order").isGreaterThan(previous);
            previous = id;
        }
    }
}
