package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
    void commitToClientLatencyAtFiftySingleRowUpdatesPerSecond() throws Exception {
        long owner = TestData.user("latency");
        int updates = Integer.getInteger("bench.updates", 1000);
        List<Long> ids = TestData.orders(owner, updates, LocalDate.of(2029, 1, 1), "UNPAID");
        Map<String, Long> committed = new ConcurrentHashMap<>();
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES, Map.of())) {
            stack.awaitSubscriptions(baseline + 1);
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
            long[] latencies = new long[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                JsonNode data = client.awaitData(1, Duration.ofSeconds(30)).getFirst();
                long received = System.nanoTime();
                String id = data.path("orderChanges").path("order").path("id").asString();
                Long at = committed.get(id);
                while (at == null) { // the event can overtake the writer's bookkeeping
                    Thread.onSpinWait();
                    at = committed.get(id);
                }
                latencies[i] = received - at;
            }
            writer.get();
            Arrays.sort(latencies);
            print("commit-to-client via gateway, %d single-row updates at 50/s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                    .formatted(updates, ms(latencies, 0.5), ms(latencies, 0.9), ms(latencies, 0.99), latencies[latencies.length - 1] / 1e6));
        }
    }

    @Test
    void oneUpdateOfTenThousandRowsUntilAStaffSubscriberHasTheLastEvent() {
        long owner = TestData.user("tenk");
        long staff = TestData.user("tenkstaff");
        int rows = Integer.getInteger("bench.rows", 10_000);
        Sql.orders("insert into orders (date, state, user_id) select date '2029-02-01', 'UNPAID', " + owner + " from generate_series(1, " + rows + ")");
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(staff), CHANGES,
                Map.of("filter", Map.of("userId", TestData.globalId("User", owner))))) {
            stack.awaitSubscriptions(baseline + 1);
            long start = System.nanoTime();
            Sql.orders("update orders set state = 'PAID' where user_id = " + owner);
            long committed = System.nanoTime();
            client.awaitData(rows, Duration.ofSeconds(120));
            long done = System.nanoTime();
            print("one UPDATE of %d rows: statement %.0f ms, commit to last event at a staff subscriber %.0f ms (user fields resolved per event)"
                    .formatted(rows, (committed - start) / 1e6, (done - committed) / 1e6));
        }
    }

    @Test
    void oneChangeFannedOutToAThousandSubscribersWithDistinctTokens() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        long owner = TestData.user("fanout");
        long order = TestData.orders(owner, 1, LocalDate.of(2029, 3, 1), "UNPAID").getFirst();
        String query = "subscription($id: ID!) { orderChanged(id: $id) { action order { id state user { username } } } }";
        List<GraphQlWsClient> clients = new ArrayList<>();
        ExecutorService opener = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<GraphQlWsClient>> opening = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                String token = Tokens.staff(1_000_000 + i); // distinct tokens, as distinct staff users
                opening.add(CompletableFuture.supplyAsync(() -> GraphQlWsClient.subscribe(stack.gatewayUrl(), token, query,
                        Map.of("id", TestData.globalId("Order", order))), opener));
            }
            opening.forEach(f -> clients.add(f.join()));
            stack.awaitSubscriptions(baseline + subscribers);
            Thread.sleep(2000); // let start-up garbage settle before reading memory
            String memory = "orders-service heap %d MiB, RSS %d MiB; gateway RSS %d MiB; users-service RSS %d MiB"
                    .formatted(heapMiB(stack.ordersUrl()), stack.orders.rssMiB(), stack.gateway.rssMiB(), stack.users.rssMiB());

            long start = System.nanoTime();
            Sql.orders("update orders set state = 'PAID' where id = " + order);
            List<CompletableFuture<Long>> arrivals = clients.stream()
                    .map(c -> CompletableFuture.supplyAsync(() -> {
                        c.awaitData(1, Duration.ofSeconds(60));
                        return System.nanoTime();
                    }, opener)).toList();
            long[] at = arrivals.stream().mapToLong(f -> f.join() - start).sorted().toArray();
            print("fan-out of one change to %d subscribers (distinct tokens, user { username }): first %.0f ms, p50 %.0f ms, p99 %.0f ms, all %.0f ms"
                    .formatted(subscribers, at[0] / 1e6, ms(at, 0.5), ms(at, 0.99), at[at.length - 1] / 1e6));
            print("with %d open subscriptions: %s".formatted(subscribers, memory));
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
