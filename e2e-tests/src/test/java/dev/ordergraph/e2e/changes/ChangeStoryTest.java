package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.Subscriptions;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static dev.ordergraph.e2e.support.Subscriptions.BATCHES_STORY;
import static dev.ordergraph.e2e.support.Subscriptions.CHANGES_STORY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a change tells beyond the order, through the gateway: the order before it, the fields that
 * changed, its transaction (and where that ends for each subscriber), and whether it came from a
 * mutation of this API (which one, and who, for those allowed to know) or from outside it.
 */
class ChangeStoryTest extends ChangeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final LocalDate DAY = LocalDate.of(2026, 9, 1);

    private static JsonNode change(JsonNode event) {
        return event.path("orderChanges");
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new java.util.ArrayList<>();
        array.forEach(value -> strings.add(value.asString()));
        return strings;
    }

    /** Orders inserted, and captured, before the test subscribes: their creation is not what it watches. */
    private List<Long> existingOrders(long owner, int count) {
        long published = stack.changesPublished();
        List<Long> ids = TestData.orders(owner, count, DAY, "UNPAID");
        stack.awaitChangesPublished(published + count);
        return ids;
    }

    private static Map<String, Object> ownedBy(long userId) {
        return Map.of("filter", Map.of("userId", TestData.globalId("User", userId)));
    }

    @Test
    void anUpdateFromPsqlCarriesTheOldStateOnlyThatFieldAndOutsideWithNoOneNamed() {
        long owner = TestData.user("story_psql");
        long order = existingOrders(owner, 1).getFirst();
        try (GraphQlWsClient subscriber = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES_STORY, Map.of())) {
            awaitSubscribed(1);
            Sql.orders("update orders set state = 'PAID' where id = " + order);

            JsonNode paid = change(subscriber.awaitData(1, WAIT).getFirst());
            assertThat(paid.path("action").asString()).isEqualTo("UPDATED");
            assertThat(paid.path("previous").path("state").asString()).isEqualTo("UNPAID");
            assertThat(paid.path("previous").path("user").path("username").asString()).isEqualTo(TestData.username(owner));
            assertThat(paid.path("order").path("state").asString()).isEqualTo("PAID");
            assertThat(strings(paid.path("changedFields"))).containsExactly("STATE");
            assertThat(paid.path("origin").path("kind").asString()).isEqualTo("OUTSIDE");
            assertThat(paid.path("origin").path("actor").isNull()).isTrue();
            assertThat(paid.path("origin").path("clientMutationId").isNull()).isTrue();
            assertThat(paid.path("transaction").path("last").asBoolean()).isTrue();
            assertThat(paid.path("transaction").path("id").asString()).isNotBlank().doesNotContain(String.valueOf(order));

            // An UPDATE that writes the same values is an update of nothing.
            Sql.orders("update orders set state = state where id = " + order);
            JsonNode same = change(subscriber.awaitData(1, WAIT).getFirst());
            assertThat(same.path("action").asString()).isEqualTo("UPDATED");
            assertThat(strings(same.path("changedFields"))).isEmpty();
            assertThat(same.path("transaction").path("id").asString()).isNotEqualTo(paid.path("transaction").path("id").asString());
        }
    }

    @Test
    void aMutationNamesItsRequestAndItsActorToThemAndToStaffAndToNoOneElse() {
        long owner = TestData.user("story_owner");
        long staffer = TestData.user("story_staff");
        String order = TestData.globalId("Order", existingOrders(owner, 1).getFirst());
        try (GraphQlWsClient ownerSees = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES_STORY, Map.of());
             GraphQlWsClient staffSees = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(staffer), CHANGES_STORY, ownedBy(owner))) {
            awaitSubscribed(2);
            new GraphQlClient(stack.gatewayUrl(), Tokens.viewer(owner)).execute("""
                    mutation($id: ID!) { updateOrder(input: {id: $id, state: PAID, clientMutationId: "m-1"}) { errors { field } } }""",
                    Map.of("id", order));

            for (GraphQlWsClient viewer : List.of(ownerSees, staffSees)) {
                JsonNode byOwner = change(viewer.awaitData(1, WAIT).getFirst());
                assertThat(byOwner.path("origin").path("kind").asString()).isEqualTo("API");
                assertThat(byOwner.path("origin").path("clientMutationId").asString()).isEqualTo("m-1");
                assertThat(byOwner.path("origin").path("actor").path("id").asString()).isEqualTo(TestData.globalId("User", owner));
                assertThat(byOwner.path("origin").path("actor").path("username").asString()).isEqualTo(TestData.username(owner));
                assertThat(strings(byOwner.path("changedFields"))).containsExactly("STATE");
            }

            new GraphQlClient(stack.gatewayUrl(), Tokens.staff(staffer)).execute("""
                    mutation($id: ID!) { updateOrder(input: {id: $id, state: UNPAID, clientMutationId: "s-1"}) { errors { field } } }""",
                    Map.of("id", order));
            JsonNode ownerView = change(ownerSees.awaitData(1, WAIT).getFirst());
            assertThat(ownerView.path("origin").path("kind").asString()).isEqualTo("API");
            assertThat(ownerView.path("origin").path("clientMutationId").isNull()).as(ownerView.toString()).isTrue();
            assertThat(ownerView.path("origin").path("actor").isNull()).as(ownerView.toString()).isTrue();
            JsonNode staffView = change(staffSees.awaitData(1, WAIT).getFirst());
            assertThat(staffView.path("origin").path("clientMutationId").asString()).isEqualTo("s-1");
            assertThat(staffView.path("origin").path("actor").path("username").asString()).isEqualTo(TestData.username(staffer));
        }
    }

    @Test
    void eachFieldOfAnAtomicRequestNamesItsOwnClientMutationIdInOneTransaction() {
        long owner = TestData.user("story_atomic");
        try (GraphQlWsClient subscriber = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES_STORY, Map.of())) {
            awaitSubscribed(1);
            new GraphQlClient(stack.gatewayUrl(), Tokens.viewer(owner)).execute("""
                    mutation {
                      a: createOrder(input: {state: UNPAID, clientMutationId: "a-1"}) { errors { field } }
                      b: createOrder(input: {state: PAID, clientMutationId: "b-1"}) { errors { field } }
                    }""");

            List<JsonNode> events = subscriber.awaitData(2, WAIT).stream().map(ChangeStoryTest::change).toList();
            assertThat(events).extracting(e -> e.path("origin").path("clientMutationId").asString()).containsExactly("a-1", "b-1");
            assertThat(events).extracting(e -> e.path("transaction").path("id").asString()).containsOnly(
                    events.getFirst().path("transaction").path("id").asString());
            assertThat(events).extracting(e -> e.path("transaction").path("last").asBoolean()).containsExactly(false, true);
            assertThat(events.getFirst().path("previous").isNull()).isTrue();
            assertThat(strings(events.getFirst().path("changedFields"))).containsExactly("DATE", "STATE", "USER");
        }
    }

    @Test
    void threeRowsOfOnePsqlTransactionShareItsIdArriveInOneBatchAndOnlyTheThirdIsLast() throws Exception {
        long owner = TestData.user("story_tx");
        List<Long> orders = existingOrders(owner, 3);
        try (GraphQlWsClient batches = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), BATCHES_STORY, Map.of());
             GraphQlWsClient each = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES_STORY, Map.of())) {
            awaitSubscribed(2);
            try (Connection db = Stack.ordersDb(); Statement sql = db.createStatement()) {
                db.setAutoCommit(false); // BEGIN ... COMMIT
                for (long order : orders.reversed()) {
                    sql.executeUpdate("update orders set state = 'PAID' where id = " + order);
                }
                db.commit();
            }

            List<Subscriptions.Batch> received = Subscriptions.awaitBatches(batches, 3);
            assertThat(received).as("one batch").hasSize(1);
            List<JsonNode> changes = received.getFirst().changes();
            assertThat(changes).extracting(c -> c.path("transaction").path("id").asString()).containsOnly(
                    changes.getFirst().path("transaction").path("id").asString());
            assertThat(changes).extracting(c -> c.path("transaction").path("last").asBoolean()).containsExactly(false, false, true);

            List<JsonNode> oneByOne = each.awaitData(3, WAIT).stream().map(ChangeStoryTest::change).toList();
            assertThat(oneByOne).extracting(c -> c.path("transaction").path("last").asBoolean()).containsExactly(false, false, true);
            assertThat(oneByOne).extracting(c -> c.path("transaction").path("id").asString())
                    .containsOnly(changes.getFirst().path("transaction").path("id").asString());
        }
    }

    @Test
    void anOrderChangingOwnerLeavesTheOldOwnerWithItsLastImageAndReachesTheNewOneWithoutAPast() {
        long from = TestData.user("story_from");
        long to = TestData.user("story_to");
        long order = existingOrders(from, 1).getFirst();
        try (GraphQlWsClient old = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(from), CHANGES_STORY, Map.of());
             GraphQlWsClient current = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(to), CHANGES_STORY, Map.of())) {
            awaitSubscribed(2);
            Sql.orders("update orders set user_id = " + to + ", state = 'PAID' where id = " + order);

            JsonNode left = change(old.awaitData(1, WAIT).getFirst());
            assertThat(left.path("action").asString()).isEqualTo("DELETED");
            assertThat(left.path("previous")).isEqualTo(left.path("order"));
            assertThat(left.path("order").path("state").asString()).isEqualTo("UNPAID");
            assertThat(strings(left.path("changedFields"))).isEmpty();

            JsonNode arrived = change(current.awaitData(1, WAIT).getFirst());
            assertThat(arrived.path("action").asString()).isEqualTo("CREATED");
            assertThat(arrived.path("previous").isNull()).isTrue();
            assertThat(strings(arrived.path("changedFields"))).containsExactly("DATE", "STATE", "USER");
            assertThat(arrived.toString()).doesNotContain(TestData.username(from));
            assertThat(arrived.path("transaction").path("id")).isEqualTo(left.path("transaction").path("id"));
        }
    }

    @Test
    void aClientResumingAfterARestartGetsTheSameStoryAsBefore() {
        long owner = TestData.user("story_resume");
        String token = Tokens.viewer(owner);
        List<JsonNode> live;
        String before;
        try (GraphQlWsClient subscriber = GraphQlWsClient.subscribe(stack.gatewayUrl(), token, CHANGES_STORY, Map.of())) {
            awaitSubscribed(1);
            TestData.orders(owner, 1, DAY, "UNPAID");
            before = change(subscriber.awaitData(1, WAIT).getFirst()).path("cursor").asString();
            new GraphQlClient(stack.gatewayUrl(), token).execute("""
                    mutation {
                      a: createOrder(input: {state: UNPAID, clientMutationId: "r-1"}) { errors { field } }
                      b: createOrder(input: {state: PAID, clientMutationId: "r-2"}) { errors { field } }
                    }""");
            live = subscriber.awaitData(2, WAIT);
        }

        stack.orders.stop();
        stack.orders.start();
        stack.orders.awaitHealthy(Duration.ofSeconds(120));

        try (GraphQlWsClient resumed = GraphQlWsClient.subscribe(stack.gatewayUrl(), token, CHANGES_STORY, Map.of("after", before))) {
            assertThat(resumed.awaitData(2, WAIT)).isEqualTo(live);
            resumed.assertNothingFor(Duration.ofSeconds(1));
        }
        assertThat(live).extracting(e -> change(e).path("origin").path("clientMutationId").asString()).containsExactly("r-1", "r-2");
    }

    /**
     * {@code previous { user }} rides on the entity fetch of {@code order { user }}: an owner change, whose
     * two images name two users, costs the users subgraph as many requests as one image's user alone.
     */
    @Test
    void thePreviousOwnerIsFetchedTogetherWithTheCurrentOne() {
        long staffer = TestData.user("story_fetch");
        String orderOnly = "subscription($filter: OrderFilter) { orderChanges(filter: $filter) { order { user { username } } } }";
        String both = "subscription($filter: OrderFilter) { orderChanges(filter: $filter) {"
                + " order { user { username } } previous { user { username } } } }";

        long alone = usersRequestsForAnOwnerChange(staffer, orderOnly);
        long together = usersRequestsForAnOwnerChange(staffer, both);
        assertThat(together).isEqualTo(alone).isEqualTo(1);
    }

    private long usersRequestsForAnOwnerChange(long staffer, String subscription) {
        long from = TestData.user("story_fetch_from");
        long to = TestData.user("story_fetch_to");
        long order = existingOrders(from, 1).getFirst();
        try (GraphQlWsClient subscriber = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(staffer), subscription, ownedBy(from))) {
            awaitSubscribed(1);
            long before = stack.graphqlRequests(stack.usersUrl());
            Sql.orders("update orders set user_id = " + to + " where id = " + order);

            JsonNode moved = change(subscriber.awaitData(1, WAIT).getFirst());
            assertThat(moved.path("order").path("user").path("username").asString()).isEqualTo(TestData.username(to));
            if (moved.has("previous")) {
                assertThat(moved.path("previous").path("user").path("username").asString()).isEqualTo(TestData.username(from));
            }
            return stack.graphqlRequests(stack.usersUrl()) - before;
        }
    }
}
