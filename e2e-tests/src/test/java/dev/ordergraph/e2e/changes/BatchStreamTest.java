package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Subscriptions.Batch;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ordergraph.e2e.support.Subscriptions.BATCHES;
import static dev.ordergraph.e2e.support.Subscriptions.awaitBatches;
import static dev.ordergraph.e2e.support.Subscriptions.flatten;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code orderChangeBatches}: the changes of {@code orderChanges}, grouped, each once, in commit order, within bounds. */
class BatchStreamTest extends ChangeTest {

    /** The service's default bound on changes per batch. */
    private static final int MAX_CHANGES = 1000;

    private static Map<String, Object> ownerFilter(long owner) {
        return Map.of("filter", Map.of("userId", TestData.globalId("User", owner)));
    }

    @Test
    void tenThousandRowStatementsArriveAsBoundedBatchesWithEveryChangeOnceInCommitOrder() {
        long owner = TestData.user("batchbulk");
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(TestData.user("batchstaff")), BATCHES,
                ownerFilter(owner))) {
            awaitSubscribed(1);

            Sql.orders("insert into orders (date, state, user_id) select date '2026-06-01', 'UNPAID', " + owner
                    + " from generate_series(1, 10000)");
            List<Batch> inserted = awaitBatches(client, 10_000);

            long previous = 0;
            Set<String> cursors = new HashSet<>();
            String username = TestData.username(owner); // read once: a connection per change took minutes
            for (Batch batch : inserted) {
                assertThat(batch.changes()).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_CHANGES);
                assertThat(batch.cursor()).as("a batch's cursor is its last change's").isEqualTo(batch.changes().getLast().path("cursor").asString());
                for (JsonNode change : batch.changes()) {
                    assertThat(change.path("action").asString()).isEqualTo("CREATED");
                    assertThat(cursors.add(change.path("cursor").asString())).as("each change once").isTrue();
                    long id = TestData.databaseId(change.path("order").path("id").asString());
                    assertThat(id).as("commit order").isGreaterThan(previous);
                    previous = id;
                    assertThat(change.path("order").path("user").path("username").asString()).isEqualTo(username);
                }
            }
            // Batched, not one change per message: a lone first change, then what accumulated meanwhile
            // (about ten batches here; a stream of single changes would be 10,000).
            assertThat(inserted.size()).as("batches for 10,000 changes").isBetween(10_000 / MAX_CHANGES, 500);

            assertThat(Sql.orders("update orders set state = 'PAID' where user_id = " + owner)).isEqualTo(10_000);
            List<JsonNode> updated = flatten(awaitBatches(client, 10_000));
            assertThat(updated).allSatisfy(c -> assertThat(c.path("action").asString()).isEqualTo("UPDATED"));
            assertThat(updated.stream().map(c -> c.path("order").path("id").asString()).collect(Collectors.toSet())).hasSize(10_000);
            client.assertNothingFor(Duration.ofSeconds(1));
        }
    }

    @Test
    void aLoneChangeIsABatchOfOne() {
        long owner = TestData.user("batchone");
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), BATCHES, Map.of())) {
            awaitSubscribed(1);
            long id = TestData.orders(owner, 1, LocalDate.of(2026, 6, 2), "UNPAID").getFirst();

            List<Batch> batches = awaitBatches(client, 1);

            assertThat(batches).hasSize(1);
            assertThat(batches.getFirst().changes().getFirst().path("order").path("id").asString()).isEqualTo(TestData.globalId("Order", id));
            assertThat(batches.getFirst().changes().getFirst().path("order").path("user").path("email").asString())
                    .isEqualTo(TestData.username(owner) + "@example.test");
        }
    }

    @Test
    void resumingAfterABatchCursorOrAChangeCursorInsideABatchGivesExactlyTheRest() {
        long owner = TestData.user("batchresume");
        List<Batch> batches;
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), BATCHES, Map.of())) {
            awaitSubscribed(1);
            Sql.orders("insert into orders (date, state, user_id) select date '2026-06-03', 'UNPAID', " + owner + " from generate_series(1, 500)");
            batches = awaitBatches(client, 500);
        }
        List<String> all = flatten(batches).stream().map(c -> c.path("cursor").asString()).toList();
        int middle = 250;
        for (String after : List.of(batches.getFirst().cursor(), all.get(middle))) {
            List<String> expected = all.subList(all.indexOf(after) + 1, all.size());
            try (GraphQlWsClient resumed = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), BATCHES, Map.of("after", after))) {
                List<String> rest = flatten(awaitBatches(resumed, expected.size())).stream().map(c -> c.path("cursor").asString()).toList();
                assertThat(rest).containsExactlyElementsOf(expected);
                resumed.assertNothingFor(Duration.ofMillis(500));
            }
        }
    }
}
