package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static dev.ordergraph.e2e.support.Subscriptions.CHANGES_LEAN;
import static org.assertj.core.api.Assertions.assertThat;

/** Each change reaches exactly the viewers allowed to see it, decided from the row images. */
class VisibilityTest extends ChangeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ONE_ORDER = """
            subscription($id: ID!) { orderChanged(id: $id) { action order { id user { username } } } }""";

    @Test
    void aViewerNeverReceivesAnotherUsersChangesStaffReceiveThemAndAnOwnerChangeMovesTheOrder() {
        long alice = TestData.user("visa");
        long bob = TestData.user("visb");
        long staff = TestData.user("visstaff");
        long published = stack.changesPublished();
        long order = TestData.orders(alice, 1, LocalDate.of(2026, 9, 1), "UNPAID").getFirst();
        // Captured before anyone subscribes: a subscription without `after` starts at what the service has
        // captured, and one opened within a few ms of the insert (the gateway's connection is already
        // open) could otherwise still receive its CREATED.
        stack.awaitChangesPublished(published + 1);
        try (GraphQlWsClient aliceSub = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(alice), CHANGES_LEAN, Map.of());
             GraphQlWsClient bobSub = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(bob), CHANGES_LEAN, Map.of());
             GraphQlWsClient staffSub = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(staff), ONE_ORDER,
                     Map.of("id", TestData.globalId("Order", order)))) {
            awaitSubscribed(3);

            Sql.orders("update orders set state = 'PAID' where id = " + order);
            Sql.orders("update orders set user_id = " + bob + " where id = " + order);

            List<JsonNode> aliceSees = aliceSub.awaitData(2, WAIT);
            assertThat(aliceSees).extracting(e -> e.path("orderChanges").path("action").asString()).containsExactly("UPDATED", "DELETED");
            // Bob's first event is the order arriving in his scope: he never saw it while it was Alice's.
            JsonNode bobSees = bobSub.awaitData(1, WAIT).getFirst().path("orderChanges");
            assertThat(bobSees.path("action").asString()).isEqualTo("CREATED");
            assertThat(bobSees.path("order").path("state").asString()).isEqualTo("PAID");
            List<JsonNode> staffSees = staffSub.awaitData(2, WAIT);
            assertThat(staffSees).extracting(e -> e.path("orderChanged").path("action").asString()).containsExactly("UPDATED", "UPDATED");
            assertThat(staffSees.get(1).path("orderChanged").path("order").path("user").path("username").asString())
                    .isEqualTo(TestData.username(bob));
            // The positive control: Bob's own next order, committed after, is the next thing he gets.
            long bobsOwn = TestData.orders(bob, 1, LocalDate.of(2026, 9, 3), "UNPAID").getFirst();
            JsonNode bobNext = bobSub.awaitData(1, WAIT).getFirst().path("orderChanges");
            assertThat(bobNext.path("order").path("id").asString()).as(bobNext.toString()).isEqualTo(TestData.globalId("Order", bobsOwn));
        }
    }

    /**
     * The gateway's clients share its connections to orders-service: the connection carries no token and
     * each subscription brings its own. Two viewers on one connection each get only their own changes; a
     * subscription with a forged token is UNAUTHENTICATED alone, and the connection and the others go on.
     */
    @Test
    void subscriptionsOfSeveralViewersOnOneSharedConnectionEachSeeTheirOwnAndABadTokenFailsAlone() {
        long alice = TestData.user("lanea");
        long bob = TestData.user("laneb");
        try (GraphQlWsClient shared = GraphQlWsClient.connect(stack.ordersUrl(), null)) {
            shared.subscribe("alice", CHANGES_LEAN, Map.of(), Map.of("authorization", "Bearer " + Tokens.viewer(alice)));
            shared.subscribe("bob", CHANGES_LEAN, Map.of(), Map.of("authorization", "Bearer " + Tokens.viewer(bob)));
            shared.subscribe("forged", CHANGES_LEAN, Map.of(), Map.of("authorization", "Bearer " + Tokens.forged(alice)));
            shared.subscribe("none", CHANGES_LEAN, Map.of());
            java.util.Set<String> refused = new java.util.HashSet<>();
            while (refused.size() < 2) { // an error for each (a complete may follow it)
                JsonNode message = shared.poll(WAIT);
                assertThat(message).as("refused so far: " + refused).isNotNull();
                if (!"complete".equals(message.path("type").asString())) {
                    assertThat(message.toString()).contains("UNAUTHENTICATED");
                    refused.add(message.path("id").asString());
                }
            }
            assertThat(refused).containsExactlyInAnyOrder("forged", "none");
            awaitSubscribed(2);
            while (shared.poll(Duration.ofMillis(300)) != null) {
                // a trailing complete of a refused one
            }

            long aliceOrder = TestData.orders(alice, 1, LocalDate.of(2026, 9, 2), "UNPAID").getFirst();
            long bobOrder = TestData.orders(bob, 1, LocalDate.of(2026, 9, 2), "UNPAID").getFirst();
            JsonNode first = shared.poll(WAIT);
            JsonNode second = shared.poll(WAIT);
            for (JsonNode message : List.of(first, second)) {
                assertThat(message.path("type").asString()).as(message.toString()).isEqualTo("next");
                long expected = "alice".equals(message.path("id").asString()) ? aliceOrder : bobOrder;
                assertThat(message.path("payload").path("data").path("orderChanges").path("order").path("id").asString())
                        .as(message.toString()).isEqualTo(TestData.globalId("Order", expected));
            }
            assertThat(List.of(first.path("id").asString(), second.path("id").asString())).containsExactlyInAnyOrder("alice", "bob");
            // The positive control: Bob's next order, committed after, is the next message, and it is Bob's.
            long bobsNext = TestData.orders(bob, 1, LocalDate.of(2026, 9, 3), "UNPAID").getFirst();
            JsonNode third = shared.poll(WAIT);
            assertThat(third.path("id").asString()).as(third.toString()).isEqualTo("bob");
            assertThat(third.path("payload").path("data").path("orderChanges").path("order").path("id").asString())
                    .isEqualTo(TestData.globalId("Order", bobsNext));
            assertThat(shared.closeCode(Duration.ZERO)).as("the connection stays open").isNull();
        }
    }

    /**
     * A subscription to one order the viewer may not see, or to one that does not exist, ends at once with
     * the same NOT_FOUND (existence does not leak) and holds nothing open at orders-service.
     */
    @Test
    void aSubscriptionToAnOrderTheViewerMayNotSeeOrThatDoesNotExistIsNotFound() {
        long alice = TestData.user("nfa");
        long bob = TestData.user("nfb");
        long alicesOrder = TestData.orders(alice, 1, LocalDate.of(2026, 9, 2), "UNPAID").getFirst();
        int before = stack.activeSubscriptions();
        List<String> answers = new java.util.ArrayList<>();
        for (long id : new long[]{alicesOrder, Long.MAX_VALUE - 7}) {
            try (GraphQlWsClient bobSpies = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(bob), ONE_ORDER,
                    Map.of("id", TestData.globalId("Order", id)))) {
                JsonNode message = bobSpies.poll(WAIT);
                assertThat(message).as("an answer").isNotNull();
                assertThat(message.toString()).contains("NOT_FOUND").doesNotContain("\"data\":{");
                answers.add(message.path("payload").path("errors").path(0).path("message").asString());
                JsonNode completed = bobSpies.poll(WAIT);
                assertThat(completed == null ? "" : completed.path("type").asString()).as("then complete").isEqualTo("complete");
            }
        }
        assertThat(answers.get(0)).as("hidden and missing read the same").isEqualTo(answers.get(1));
        stack.awaitSubscriptions(active -> active <= before, "no subscription left open");
        // Alice, who may see it, subscribes as usual.
        try (GraphQlWsClient owner = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(alice), ONE_ORDER,
                Map.of("id", TestData.globalId("Order", alicesOrder)))) {
            awaitSubscribed(1);
            Sql.orders("update orders set state = 'PAID' where id = " + alicesOrder);
            assertThat(owner.awaitData(1, WAIT).getFirst().path("orderChanged").path("action").asString()).isEqualTo("UPDATED");
        }
    }

    @Test
    void getOrderSendsTheNewestVisibleOrderAtOnceThenEachChangeAndEachNewerOrder() {
        long viewer = TestData.user("getorder");
        long older = TestData.orders(viewer, 1, LocalDate.of(2026, 9, 10), "UNPAID").getFirst();
        long newest = TestData.orders(viewer, 1, LocalDate.of(2026, 9, 20), "UNPAID").getFirst();
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(viewer),
                "subscription { getOrder { id date state user { username } } }", Map.of())) {
            JsonNode first = client.awaitData(1, WAIT).getFirst().path("getOrder");
            assertThat(first.path("id").asString()).isEqualTo(TestData.globalId("Order", newest));
            assertThat(first.path("user").path("username").asString()).isEqualTo(TestData.username(viewer));
            awaitSubscribed(1);

            Sql.orders("update orders set state = 'PAID' where id = " + older); // not the newest: nothing
            Sql.orders("update orders set state = 'PAID' where id = " + newest);
            long newer = TestData.orders(viewer, 1, LocalDate.of(2026, 9, 30), "UNPAID").getFirst();

            List<JsonNode> next = client.awaitData(2, WAIT);
            assertThat(next.get(0).path("getOrder").path("id").asString()).isEqualTo(TestData.globalId("Order", newest));
            assertThat(next.get(0).path("getOrder").path("state").asString()).isEqualTo("PAID");
            assertThat(next.get(1).path("getOrder").path("id").asString()).isEqualTo(TestData.globalId("Order", newer));
            client.assertNothingFor(Duration.ofMillis(300));
        }
    }

    @Test
    void aSubscriptionWithoutAValidTokenIsRefused() {
        try (GraphQlWsClient anonymous = GraphQlWsClient.subscribe(stack.gatewayUrl(), null, CHANGES_LEAN, Map.of());
             GraphQlWsClient forged = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.forged(1), CHANGES_LEAN, Map.of())) {
            for (GraphQlWsClient client : List.of(anonymous, forged)) {
                JsonNode message = client.poll(WAIT);
                Integer closeCode = client.closeCode(Duration.ofMillis(100));
                // Refused as unauthenticated: an error with that code, or graphql-ws' close codes for it.
                // Any other error (a bug, a subgraph down) is no refusal.
                boolean refused = (message != null && message.path("payload").toString().contains("\"UNAUTHENTICATED\""))
                        || (closeCode != null && (closeCode == 4401 || closeCode == 4403));
                assertThat(message == null ? "" : message.toString()).as("no data reaches it").doesNotContain("\"data\":{");
                assertThat(refused).as("message %s, close code %s", message, closeCode).isTrue();
            }
        }
    }
}
