package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.Subscriptions.Batch;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.Statement;
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

    @Test
    void anOwnerChangeInsideABatchIsADeletionForTheOldOwnerAndACreationForTheNew() throws Exception {
        long from = TestData.user("batchfrom");
        long to = TestData.user("batchto");
        try (GraphQlWsClient oldOwner = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(from), BATCHES, Map.of());
             GraphQlWsClient newOwner = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(to), BATCHES, Map.of())) {
            awaitSubscribed(2);
            List<Long> orders = TestData.orders(from, 2, LocalDate.of(2026, 6, 4), "UNPAID");
            awaitBatches(oldOwner, 2); // their creation
            try (Connection db = Stack.ordersDb(); Statement sql = db.createStatement()) {
                db.setAutoCommit(false);
                sql.executeUpdate("update orders set state = 'PAID' where id = " + orders.get(0));
                sql.executeUpdate("update orders set user_id = " + to + " where id = " + orders.get(1));
                sql.executeUpdate("update orders set state = 'UNPAID' where id = " + orders.get(0));
                db.commit();
            }

            List<JsonNode> seenByOld = flatten(awaitBatches(oldOwner, 3));
            List<JsonNode> seenByNew = flatten(awaitBatches(newOwner, 1));

            assertThat(seenByOld).extracting(c -> c.path("action").asString() + " " + c.path("order").path("id").asString())
                    .containsExactly("UPDATED " + TestData.globalId("Order", orders.get(0)),
                            "DELETED " + TestData.globalId("Order", orders.get(1)),
                            "UPDATED " + TestData.globalId("Order", orders.get(0)));
            assertThat(seenByNew).extracting(c -> c.path("action").asString() + " " + c.path("order").path("user").path("username").asString())
                    .containsExactly("CREATED " + TestData.username(to));
            oldOwner.assertNothingFor(Duration.ofMillis(300));
            newOwner.assertNothingFor(Duration.ofMillis(300));
        }
    }

    @Test
    void aFilterSelectsChangesInsideBatchesAsItDoesForSingleChanges() {
        long owner = TestData.user("batchfilter");
        Map<String, Object> paidOnly = Map.of("filter", Map.of("userId", TestData.globalId("User", owner), "state", "PAID"));
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(TestData.user("batchfilterstaff")), BATCHES, paidOnly)) {
            awaitSubscribed(1);
            Sql.orders("insert into orders (date, state, user_id) select date '2026-06-05', case when i % 2 = 0 then 'PAID' else 'UNPAID' end, "
                    + owner + " from generate_series(1, 100) as i");

            List<JsonNode> changes = flatten(awaitBatches(client, 50));

            assertThat(changes).allSatisfy(c -> assertThat(c.path("order").path("state").asString()).isEqualTo("PAID"));
            client.assertNothingFor(Duration.ofMillis(500));
        }
    }
}
