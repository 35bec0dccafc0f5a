package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commit-to-client figures of the change pipeline, through the gateway over WebSocket.
 * Run with {@code make bench}; results go to docs/benchmarks.md.
 */
@Tag("benchmark")
// Fan-out last: the gateway closes an upstream subscription only when its next event arrives after
// the client left, so the 1,000 subscriptions of that test would linger into the others.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeBenchmark {

    private static final String CHANGES = """
            subscription($filter: OrderFilter) {
              orderChanges(filter: $filter) { action cursor order { id state user { username email } } }
            }""";

    private final Stack stack = Stack.get();

    private int baseline;

    @BeforeEach
    void countEarlierSubscriptions() {
        baseline = stack.activeSubscriptions();
    }

    @Test
    @Order(1)
    void commitToClientLatencyAtFiftySingleRowUpdatesPerSecond() throws Exception {
        long owner = TestData.user("latency");
        int updates = Integer.getInteger("bench.updates", 1000);
        Map<String, Long> committed = new ConcurrentHashMap<>();
        String orderOnly = "subscription { orderChanges { action cursor order { id state } } }";
        // Both at once, from the same commits: orders-service's own share, and the whole path.
        try (GraphQlWsClient viaGateway = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES, Map.of());
             GraphQlWsClient direct = GraphQlWsClient.subscribe(stack.ordersUrl(), Tokens.viewer(owner), orderOnly, Map.of())) {
            stack.awaitSubscriptions(baseline + 2);
            // The rows to update, inserted while subscribed: their CREATED events are drained before the
            // clock starts, so none of them is mistaken for an update's event.
            List<Long> ids = TestData.orders(owner, updates, LocalDate.of(2029, 1, 1), "UNPAID");
            viaGateway.awaitData(updates, Duration.ofSeconds(120));
            direct.awaitData(updates, Duration.ofSeconds(120));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (Connection db = Stack.ordersDb(); PreparedStatement update = db.prepareStatement("update orders set state = 'PAID' where id = ?")) {
                    long start = System.nanoTime();
                    for (int i = 0; i < ids.size(); i++) {
                        long due = start + i * 20_000_000L; // 50 per second
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        update.setLong(1, ids.get(i));
                        update.executeUpdate();
                        committed.put(TestData.globalId("Order", ids.get(i)), System.nanoTime());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long[] gatewayLatencies = latencies(viaGateway, ids.size(), committed);
            long[] directLatencies = latencies(direct, ids.size(), committed);
            writer.get();
            print("commit-to-client, %d single-row updates at 50/s, through the gateway with user { username email }: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                    .formatted(updates, ms(gatewayLatencies, 0.5), ms(gatewayLatencies, 0.9), ms(gatewayLatencies, 0.99), ms(gatewayLatencies, 1)));
            print("commit-to-client, the same updates, orders-service direct, order fields only: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                    .formatted(ms(directLatencies, 0.5), ms(directLatencies, 0.9), ms(directLatencies, 0.99), ms(directLatencies, 1)));
        }
    }

    /** Commit-to-arrival of the next {@code count} events of {@code client}, sorted. */
    private static long[] latencies(GraphQlWsClient client, int count, Map<String, Long> committed) {
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            JsonNode data = client.awaitData(1, Duration.ofSeconds(60)).getFirst();
            long arrived = client.lastArrival();
            assertThat(data.path("orderChanges").path("action").asString()).isEqualTo("UPDATED");
            String id = data.path("orderChanges").path("order").path("id").asString();
            Long at = committed.get(id);
            while (at == null) { // the event can overtake the writer's bookkeeping
                Thread.onSpinWait();
                at = committed.get(id);
            }
            latencies[i] = arrived - at;
        }
        Arrays.sort(latencies);
        return latencies;
    }

    @Test
    @Order(2)
    void oneUpdateOfTenThousandRowsUntilAStaffSubscriberHasTheLastEvent() {
        long owner = TestData.user("tenk");
        int rows = Integer.getInteger("bench.rows", 10_000);
        Sql.orders("insert into orders (date, state, user_id) select date '2029-02-01', 'UNPAID', " + owner + " from generate_series(1, " + rows + ")");
        String orderOnly = "subscription($filter: OrderFilter) { orderChanges(filter: $filter) { action cursor order { id state } } }";

        // The same statement twice: with the order's own fields, then with fields from the users subgraph.
        bulkUpdate(owner, orderOnly, "PAID", "order fields only");
        bulkUpdate(owner, CHANGES, "UNPAID", "with user { username email } from the users subgraph");
    }

    private void bulkUpdate(long owner, String query, String state, String selection) {
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(TestData.user("tenkstaff")), query,
                Map.of("filter", Map.of("userId", TestData.globalId("User", owner))))) {
            // A probe row proves the subscription is live end to end (the gateway's lingering upstream
            // subscriptions make counting them unreliable); the UPDATE then covers it too.
            awaitLive(client, owner);
            long start = System.nanoTime();
            int updated = Sql.orders("update orders set state = '" + state + "' where user_id = " + owner);
            long committed = System.nanoTime();
            client.awaitData(updated, Duration.ofSeconds(180));
            long done = System.nanoTime();
            print("one UPDATE of %d rows through the gateway, %s: statement %.0f ms, commit to last event at a staff subscriber %.0f ms"
                    .formatted(updated, selection, (committed - start) / 1e6, (done - committed) / 1e6));
        }
    }

    /** Inserts probe rows until one reaches {@code client}, then lets any late probe arrive too. */
    private static void awaitLive(GraphQlWsClient client, long owner) {
        for (int attempt = 0; attempt < 30; attempt++) {
            TestData.orders(owner, 1, LocalDate.of(2029, 2, 2), "UNPAID");
            if (client.poll(Duration.ofSeconds(2)) != null) {
                while (client.poll(Duration.ofMillis(500)) != null) {
                    // a probe from an earlier attempt
                }
                return;
            }
        }
        throw new AssertionError("The subscription never went live");
    }

    @Test
    @Order(3)
    void oneChangeFannedOutToAThousandSubscribersWithDistinctTokens() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        String withUser = "subscription($id: ID!) { orderChanged(id: $id) { action order { id state user { username } } } }";
        String orderOnly = "subscription($id: ID!) { orderChanged(id: $id) { action order { id state } } }";

        // Where the time goes: orders-service alone (its own fields, no gateway), then the whole path.
        fanOut("orders-service direct, order fields only", stack.ordersUrl(), orderOnly, subscribers, false);
        fanOut("through the gateway, user { username } from the users subgraph", stack.gatewayUrl(), withUser, subscribers, true);
    }

    private void fanOut(String path, java.net.URI url, String query, int subscribers, boolean memory) throws Exception {
        int before = stack.activeSubscriptions();
        long owner = TestData.user("fanout");
        long order = TestData.orders(owner, 1, LocalDate.of(2029, 3, 1), "UNPAID").getFirst();
        List<GraphQlWsClient> clients = new ArrayList<>();
        ExecutorService opener = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<GraphQlWsClient>> opening = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                String token = Tokens.staff(1_000_000 + i); // distinct tokens, as distinct staff users
                opening.add(CompletableFuture.supplyAsync(() -> GraphQlWsClient.subscribe(url, token, query,
                        Map.of("id", TestData.globalId("Order", order))), opener));
            }
            opening.forEach(f -> clients.add(f.join()));
            stack.awaitSubscriptions(before + subscribers);
            Thread.sleep(2000); // let start-up garbage settle before reading memory
            String footprint = "orders-service heap %d MiB, RSS %d MiB; gateway RSS %d MiB; users-service RSS %d MiB"
                    .formatted(heapMiB(stack.ordersUrl()), stack.orders.rssMiB(), stack.gateway.rssMiB(), stack.users.rssMiB());

            long start = System.nanoTime();
            Sql.orders("update orders set state = 'PAID' where id = " + order);
            long[] at = new long[subscribers];
            for (int i = 0; i < subscribers; i++) {
                clients.get(i).awaitData(1, Duration.ofSeconds(120));
                at[i] = clients.get(i).firstMessageAt() - start; // when it arrived, not when we looked
            }
            Arrays.sort(at);
            print("fan-out of one change to %d subscribers with distinct tokens, %s: first %.0f ms, p50 %.0f ms, p99 %.0f ms, all %.0f ms"
                    .formatted(subscribers, path, at[0] / 1e6, ms(at, 0.5), ms(at, 0.99), at[at.length - 1] / 1e6));
            if (memory) {
                print("with %d open subscriptions through the gateway: %s".formatted(subscribers, footprint));
            }
            assertThat(at).hasSize(subscribers);
        } finally {
            clients.forEach(GraphQlWsClient::close);
            opener.shutdownNow();
        }
    }

    private static long heapMiB(java.net.URI serviceUrl) {
        double bytes = new GraphQlClient(serviceUrl.resolve("/actuator/metrics/jvm.memory.used?tag=area:heap"), null).get()
                .json().path("measurements").get(0).path("value").asDouble();
        return (long) (bytes / (1024 * 1024));
    }

    private static double ms(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return sorted[index] / 1e6;
    }

    private static void print(String line) {
        System.out.println("==== ChangeBenchmark: " + line);
    }
}
