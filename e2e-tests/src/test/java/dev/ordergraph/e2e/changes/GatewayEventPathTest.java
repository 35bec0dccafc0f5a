package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's share of the event path: identical subscriptions of one viewer scope share one
 * upstream subscription, entity results are shared within a scope only and for at most a second,
 * and a bad token is refused at the door.
 */
class GatewayEventPathTest extends ChangeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ONE_ORDER = "subscription($id: ID!) { orderChanged(id: $id) { action order { id state user { username email } } } }";

    private int sharedStreams() {
        return stack.gatewayMetrics().getOrDefault("ordergraph_gateway_shared_streams", 0.0).intValue();
    }

    private int sharedClients() {
        return stack.gatewayMetrics().getOrDefault("ordergraph_gateway_shared_subscriptions", 0.0).intValue();
    }

    @Test
    void staffWithDistinctTokensShareOneUpstreamSubscriptionAndEachReceivesEveryChange() throws InterruptedException {
        long owner = TestData.user("share");
        long order = TestData.orders(owner, 1, LocalDate.of(2026, 7, 1), "UNPAID").getFirst();
        Map<String, String> variables = Map.of("id", TestData.globalId("Order", order));
        int streams = sharedStreams();
        int clientsBefore = sharedClients();
        List<GraphQlWsClient> clients = new ArrayList<>();
        // One expiry for all: a client joins only a stream whose opener's token lives at least as long.
        java.time.Instant expiry = java.time.Instant.now().plusSeconds(3600);
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(2_000_000 + i, expiry), ONE_ORDER, variables));
            }
            awaitGateway(() -> sharedClients() == clientsBefore + 20, "20 clients served from shared subscriptions");
            assertThat(sharedStreams()).as("one upstream subscription for 20 staff").isEqualTo(streams + 1);
            // Touch the order until the shared stream is live; every client then has the same probe.
            // (Counting orders-service's subscriptions would not do: the touch releases lingering ones.)
            for (int attempt = 0; clients.getFirst().poll(Duration.ofSeconds(1)) == null; attempt++) {
                assertThat(attempt).as("the shared subscription goes live").isLessThan(20);
                Sql.orders("update orders set state = state where id = " + order);
            }
            Thread.sleep(500);
            for (GraphQlWsClient client : clients.subList(1, clients.size())) {
                assertThat(client.poll(Duration.ofSeconds(5))).as("the probe reached every client").isNotNull();
            }
            clients.forEach(client -> { while (client.poll(Duration.ZERO) != null) { } });

            Sql.orders("update orders set state = 'PAID' where id = " + order);
            for (GraphQlWsClient client : clients) {
                JsonNode change = client.awaitData(1, WAIT).getFirst().path("orderChanged");
                assertThat(change.path("order").path("state").asString()).isEqualTo("PAID");
                assertThat(change.path("order").path("user").path("email").asString()).isEqualTo(TestData.username(owner) + "@example.test");
            }

            // Those who leave stop counting; the one who stays keeps receiving.
            clients.subList(1, clients.size()).forEach(GraphQlWsClient::close);
            awaitGateway(() -> sharedClients() == clientsBefore + 1, "19 clients left");
            Sql.orders("update orders set state = 'UNPAID' where id = " + order);
            assertThat(clients.getFirst().awaitData(1, WAIT).getFirst().path("orderChanged").path("order").path("state").asString()).isEqualTo("UNPAID");
        } finally {
            clients.forEach(GraphQlWsClient::close);
        }
        awaitGateway(() -> sharedClients() == clientsBefore && sharedStreams() == streams, "every shared stream closed");
    }

    @Test
    void viewersOfDifferentScopesNeverShareAndEachSeesOnlyWhatTheyMay() {
        long owner = TestData.user("scopeowner");
        long other = TestData.user("scopeother");
        String changes = "subscription { orderChanges { action order { id user { username email } } } }";
        int streams = sharedStreams();
        try (GraphQlWsClient staff = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(TestData.user("scopestaff")), changes, Map.of());
             GraphQlWsClient self = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), changes, Map.of());
             GraphQlWsClient stranger = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(other), changes, Map.of())) {
            awaitSubscribed(3);
            awaitGateway(() -> sharedStreams() >= streams + 3, "staff, the owner and another user: three scopes, three streams");

            long order = TestData.orders(owner, 1, LocalDate.of(2026, 7, 2), "UNPAID").getFirst();

            String email = TestData.username(owner) + "@example.test";
            assertThat(self.awaitData(1, WAIT).getFirst().path("orderChanges").path("order").path("user").path("email").asString()).isEqualTo(email);
            JsonNode seenByStaff = awaitOrder(staff, order);
            assertThat(seenByStaff.path("user").path("email").asString()).isEqualTo(email);
            // The positive control: the stranger's own order, committed after, is the first thing they get.
            long strangers = TestData.orders(other, 1, LocalDate.of(2026, 7, 2), "UNPAID").getFirst();
            JsonNode first = stranger.awaitData(1, WAIT).getFirst().path("orderChanges");
            assertThat(first.path("order").path("id").asString()).as(first.toString()).isEqualTo(TestData.globalId("Order", strangers));
            assertThat(first.path("order").path("user").path("email").asString()).isEqualTo(TestData.username(other) + "@example.test");
        }
    }

    @Test
    void aChangedUsernameShowsInEventsWithinASecond() throws Exception {
        long owner = TestData.user("rename");
        String changes = "subscription { orderChanges { action order { id user { username } } } }";
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), changes, Map.of())) {
            awaitSubscribed(1);
            long order = TestData.orders(owner, 1, LocalDate.of(2026, 7, 3), "UNPAID").getFirst();
            assertThat(client.awaitData(1, WAIT).getFirst().path("orderChanges").path("order").path("user").path("username").asString())
                    .isEqualTo(TestData.username(owner));

            try (Connection users = Stack.usersDb(); Statement sql = users.createStatement()) {
                sql.executeUpdate("update users set username = 'renamed_" + owner + "' where id = " + owner);
            }
            Thread.sleep(1100); // the entity cache keeps a result for at most a second
            Sql.orders("update orders set state = 'PAID' where id = " + order);

            assertThat(client.awaitData(1, WAIT).getFirst().path("orderChanges").path("order").path("user").path("username").asString())
                    .isEqualTo("renamed_" + owner);
        }
    }

    @Test
    void clientsShareOneStreamWhateverTheOrderTheirTokensExpireIn() {
        long owner = TestData.user("outlive");
        long order = TestData.orders(owner, 1, LocalDate.of(2026, 7, 4), "UNPAID").getFirst();
        Map<String, String> variables = Map.of("id", TestData.globalId("Order", order));
        int streams = sharedStreams();
        int clientsBefore = sharedClients();
        java.time.Instant soon = java.time.Instant.now().plusSeconds(600);
        List<GraphQlWsClient> clients = new ArrayList<>();
        try {
            // One after another, so the gateway sees them in this order: each newcomer outlives the opener.
            for (java.time.Instant expiry : List.of(soon, soon.minusSeconds(300), soon.plusSeconds(600))) {
                clients.add(GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(3_000_000 + clients.size(), expiry), ONE_ORDER, variables));
                int expected = clientsBefore + clients.size();
                awaitGateway(() -> sharedClients() == expected, expected + " clients");
            }
            assertThat(sharedStreams()).as("one stream for all three").isEqualTo(streams + 1);
            Sql.orders("update orders set state = 'PAID' where id = " + order);
            for (GraphQlWsClient client : clients) {
                assertThat(client.awaitData(1, WAIT).getFirst().path("orderChanged").path("order").path("state").asString()).isEqualTo("PAID");
            }
        } finally {
            clients.forEach(GraphQlWsClient::close);
        }
    }

    @Test
    void aTokenWhoseSubjectIsNotAUserIdIsRefusedAtTheGateway() {
        for (String sub : List.of("abc", "99999999999999999999")) {
            var response = new dev.ordergraph.e2e.support.GraphQlClient(stack.gatewayUrl(), Tokens.withSubject(sub)).execute("{ getOrders { id } }");
            assertThat(response.status()).as(response.toString()).isLessThan(500);
            assertThat(response.errorCodes()).as(response.toString()).containsExactly("UNAUTHENTICATED");
        }
    }

    /** The change of {@code order} among what {@code client} receives next. */
    private static JsonNode awaitOrder(GraphQlWsClient client, long order) {
        for (int i = 0; i < 50; i++) {
            JsonNode change = client.awaitData(1, WAIT).getFirst().path("orderChanges");
            if (change.path("order").path("id").asString().equals(TestData.globalId("Order", order))) {
                return change.path("order");
            }
        }
        throw new AssertionError("No change of order " + order);
    }

    private static void awaitGateway(java.util.function.BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + WAIT + ": " + what);
            }
            dev.ordergraph.e2e.support.ServiceProcess.sleep(50);
        }
    }
}
