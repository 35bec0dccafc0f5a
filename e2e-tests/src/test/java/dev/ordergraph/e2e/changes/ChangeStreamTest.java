package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ordergraph.e2e.support.Subscriptions.CHANGES;
import static dev.ordergraph.e2e.support.Subscriptions.CHANGES_LEAN;
import static dev.ordergraph.e2e.support.Subscriptions.assertExactlyOnceInOrder;
import static org.assertj.core.api.Assertions.assertThat;

/** Changes written with plain SQL reach subscribers through the gateway, once each, in commit order. */
class ChangeStreamTest extends ChangeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void anInsertUpdateAndDeleteArriveWithTheOwnersFieldsFromTheUsersSubgraph() {
        long owner = TestData.user("cdc");
        String username = TestData.username(owner);
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES, Map.of())) {
            awaitSubscribed(1);
            long id = TestData.orders(owner, 1, LocalDate.of(2026, 8, 1), "UNPAID").getFirst();
            Sql.orders("update orders set state = 'PAID' where id = " + id);
            Sql.orders("delete from orders where id = " + id);

            List<JsonNode> events = client.awaitData(3, WAIT);

            assertThat(events).extracting(e -> e.path("orderChanges").path("action").asString())
                    .containsExactly("CREATED", "UPDATED", "DELETED");
            assertThat(events).extracting(e -> e.path("orderChanges").path("order").path("state").asString())
                    .containsExactly("UNPAID", "PAID", "PAID"); // DELETED carries the last image
            for (JsonNode event : events) {
                JsonNode change = event.path("orderChanges");
                assertThat(change.path("order").path("id").asString()).isEqualTo(TestData.globalId("Order", id));
                assertThat(change.path("order").path("user").path("username").asString()).isEqualTo(username);
                assertThat(change.path("order").path("user").path("email").asString()).isEqualTo(username + "@example.test");
                assertThat(change.path("committedAt").asString()).isNotBlank();
            }
        }
    }

    @Test
    void bulkInsertSelectCopyAndUpdateEachArriveExactlyOncePerRowInCommitOrder() {
        long owner = TestData.user("bulk");
        long staff = TestData.user("bulkstaff");
        Map<String, Object> onlyOwner = Map.of("filter", Map.of("userId", TestData.globalId("User", owner)));
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(staff), CHANGES_LEAN, onlyOwner)) {
            awaitSubscribed(1);

            Sql.orders("insert into orders (date, state, user_id) select date '2026-01-01' + (i % 300), 'UNPAID', " + owner
                    + " from generate_series(1, 1000) as i");
            assertExactlyOnceInOrder(client.awaitData(1000, WAIT), "CREATED");

            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                csv.append("2026-02-0").append(1 + i % 9).append(",PAID,").append(owner).append('\n');
            }
            assertThat(Sql.copyOrders(csv.toString())).isEqualTo(1000);
            assertExactlyOnceInOrder(client.awaitData(1000, WAIT), "CREATED");

            assertThat(Sql.orders("update orders set state = 'PAID' where user_id = " + owner + " and state = 'UNPAID'")).isEqualTo(1000);
            List<JsonNode> updates = client.awaitData(1000, WAIT);
            assertThat(updates).allSatisfy(e -> assertThat(e.path("orderChanges").path("order").path("state").asString()).isEqualTo("PAID"));
            assertExactlyOnce(updates, "UPDATED");
            client.assertNothingFor(Duration.ofSeconds(1));
        }
    }

    @Test
    void aRolledBackTransactionAndWritesToOtherTablesEmitNothing() throws Exception {
        long owner = TestData.user("rollback");
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES_LEAN, Map.of())) {
            awaitSubscribed(1);
            try (var db = dev.ordergraph.e2e.support.Stack.ordersDb(); var sql = db.createStatement()) {
                db.setAutoCommit(false);
                sql.executeUpdate("insert into orders (user_id) values (" + owner + ")");
                db.rollback();
                db.setAutoCommit(true);
                sql.execute("create table if not exists e2e_other_table (id int)");
                sql.executeUpdate("insert into e2e_other_table values (1)");
            }
            long marker = TestData.orders(owner, 1, LocalDate.of(2026, 8, 2), "PAID").getFirst();

            JsonNode first = client.awaitData(1, WAIT).getFirst();

            // The first thing to arrive is the marker: nothing came before it.
            assertThat(first.path("orderChanges").path("order").path("id").asString()).isEqualTo(TestData.globalId("Order", marker));
            client.assertNothingFor(Duration.ofMillis(500));
        }
    }

    @Test
    void serverSentEventsCarryTheSameChangesToClientsWithoutWebSockets() throws Exception {
        long owner = TestData.user("sse");
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(stack.gatewayUrl())
                .header("Accept", "text/event-stream")
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Tokens.viewer(owner))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"query\":\"subscription { orderChanges { action order { id user { username } } } }\"}"))
                .build();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        awaitSubscribed(1);
        long id = TestData.orders(owner, 1, LocalDate.of(2026, 8, 3), "PAID").getFirst();

        String event = CompletableFuture.supplyAsync(() -> response.body()
                        .filter(line -> line.startsWith("data:") && line.contains("orderChanges"))
                        .findFirst().orElseThrow())
                .get(20, TimeUnit.SECONDS);
        response.body().close();

        assertThat(event).contains("CREATED").contains(TestData.globalId("Order", id)).contains(TestData.username(owner));
    }

    /** One event per row, no repeats (an UPDATE visits rows in no particular order). */
    static void assertExactlyOnce(List<JsonNode> events, String action) {
        Set<String> orders = new HashSet<>();
        for (JsonNode event : events) {
            assertThat(event.path("orderChanges").path("action").asString()).isEqualTo(action);
            assertThat(orders.add(event.path("orderChanges").path("order").path("id").asString())).as("repeated order").isTrue();
        }
    }

}
