package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.ordergraph.e2e.bench.PacedUpdates.ms;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commit-to-client figures of the change pipeline through the gateway over WebSocket, each printed
 * beside its target. Run with {@code make bench}; results go to docs/benchmarks.md.
 */
@Tag("benchmark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeBenchmark {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private final Stack stack = Stack.get();

    @Test
    @Order(1)
    void commitToClientLatencyAtFiftySingleRowUpdatesPerSecond() throws Exception {
        long owner = TestData.user("latency");
        long order = TestData.orders(owner, 1, LocalDate.of(2029, 1, 1), "UNPAID").getFirst();
        int count = Integer.getInteger("bench.updates", 500);
        String withUser = "subscription($id: ID!) { orderChanged(id: $id) { action cursor order { id state user { username } } } }";
        String orderOnly = "subscription($id: ID!) { orderChanged(id: $id) { action cursor order { id state } } }";
        Map<String, String> variables = Map.of("id", TestData.globalId("Order", order));
        // Both at once, from the same commits: orders-service's own share, and the whole path.
        try (GraphQlWsClient viaGateway = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), withUser, variables);
             GraphQlWsClient direct = GraphQlWsClient.subscribe(stack.ordersUrl(), Tokens.viewer(owner), orderOnly, variables)) {
            PacedUpdates updates = new PacedUpdates(Stack::ordersDb, order);
            List<GraphQlWsClient> clients = List.of(viaGateway, direct);
            updates.awaitLive(clients);
            updates.warmUp(clients, 100);
            PacedUpdates.Run run = updates.start(count, 50);
            long[] gatewayLatencies = run.latencies(viaGateway);
            long[] directLatencies = run.latencies(direct);
            run.await();
            print("commit-to-client, %d updates of one order at 50/s, through the gateway with user { username }: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                    .formatted(count, ms(gatewayLatencies, 0.5), ms(gatewayLatencies, 0.9), ms(gatewayLatencies, 0.99), ms(gatewayLatencies, 1)));
            print("commit-to-client, the same updates, orders-service direct, order fields only: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                    .formatted(ms(directLatencies, 0.5), ms(directLatencies, 0.9), ms(directLatencies, 0.99), ms(directLatencies, 1)));
            new Target("latency: p99 commit-to-client at 50/s, gateway, user fields", 40, "ms")
                    .report(ms(gatewayLatencies, 0.99), "p50 %.1f ms; orders-service direct p99 %.1f ms".formatted(ms(gatewayLatencies, 0.5), ms(directLatencies, 0.99)));
        }
    }

    @Test
    @Order(2)
    void oneUpdateOfTenThousandRowsUntilAStaffSubscriberHasEveryRow() {
        long owner = TestData.user("tenk");
        int rows = Integer.getInteger("bench.rows", 10_000);
        Sql.orders("insert into orders (date, state, user_id) select date '2029-02-01', 'UNPAID', " + owner + " from generate_series(1, " + rows + ")");
        String batches = """
                subscription($filter: OrderFilter) {
                  orderChangeBatches(filter: $filter) { cursor changes { action cursor order { id state user { username email } } } }
                }""";
        String perChange = """
                subscription($filter: OrderFilter) {
                  orderChanges(filter: $filter) { action cursor order { id state user { username email } } }
                }""";
        // One run of each, not measured, warms up every hop (JIT); then three of each, alternating.
        bulkUpdate(owner, batches, "orderChangeBatches", "PAID");
        bulkUpdate(owner, perChange, "orderChanges", "UNPAID");
        double[] batched = new double[3];
        double[] single = new double[3];
        for (int run = 0; run < 3; run++) {
            batched[run] = bulkUpdate(owner, batches, "orderChangeBatches", "PAID");
            single[run] = bulkUpdate(owner, perChange, "orderChanges", "UNPAID");
        }
        new Target("bulk: 10,000-row UPDATE, orderChangeBatches, staff, user fields", 1000, "ms").reportMedian(batched);
        new Target("bulk: 10,000-row UPDATE, orderChanges, staff, user fields", 5000, "ms").reportMedian(single);
    }

    /** Commit to the last row's change at a staff subscriber of {@code field}, in ms; checks each row arrives once. */
    private double bulkUpdate(long owner, String query, String field, String state) {
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(TestData.user("tenkstaff")), query,
                Map.of("filter", Map.of("userId", TestData.globalId("User", owner))))) {
            Probes.awaitLive(List.of(client), () -> TestData.orders(owner, 1, LocalDate.of(2029, 2, 2), "UNPAID").getFirst());
            long start = System.nanoTime();
            int updated = Sql.orders("update orders set state = '" + state + "' where user_id = " + owner);
            long committed = System.nanoTime();
            BulkArrival arrival = BulkArrival.read(client, field, updated, state, committed);
            print("one UPDATE of %d rows through the gateway, %s with user { username email }: statement %.0f ms, commit to the last row at a staff subscriber %.0f ms, %d messages (largest %d changes)"
                    .formatted(updated, field, (committed - start) / 1e6, arrival.ms(), arrival.messages(), arrival.largest()));
            return arrival.ms();
        }
    }

    @Test
    @Order(3)
    void oneChangeFannedOutToAThousandSubscribersWithDistinctTokens() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        String withUser = "subscription($id: ID!) { orderChanged(id: $id) { action order { id state user { username } } } }";
        String orderOnly = "subscription($id: ID!) { orderChanged(id: $id) { action order { id state } } }";

        // The whole path first (its memory is measured from a baseline no other fan-out has raised),
        // then where the time goes: orders-service alone, its own fields, no gateway.
        fanOut("through the gateway, user { username } from the users subgraph", stack.gatewayUrl(), withUser, subscribers, true);
        fanOut("orders-service direct, order fields only", stack.ordersUrl(), orderOnly, subscribers, false);
    }

    private void fanOut(String path, URI url, String query, int subscribers, boolean throughGateway) throws Exception {
        long owner = TestData.user("fanout");
        long order = TestData.orders(owner, 1, LocalDate.of(2029, 3, 1), "UNPAID").getFirst();
        List<GraphQlWsClient> clients = new ArrayList<>();
        ExecutorService opener = Executors.newFixedThreadPool(16);
        try {
            Thread.sleep(2000); // let earlier garbage settle before reading memory
            long rssBefore = stack.gateway.rssMiB() + stack.orders.rssMiB() + stack.users.rssMiB();
            List<CompletableFuture<GraphQlWsClient>> opening = new ArrayList<>();
            java.time.Instant expiry = java.time.Instant.now().plusSeconds(3600); // as issued in one batch
            for (int i = 0; i < subscribers; i++) {
                String token = Tokens.staff(1_000_000 + i, expiry); // distinct tokens, as distinct staff users
                opening.add(CompletableFuture.supplyAsync(() -> GraphQlWsClient.subscribe(url, token, query,
                        Map.of("id", TestData.globalId("Order", order))), opener));
            }
            opening.forEach(f -> clients.add(f.join()));
            new PacedUpdates(Stack::ordersDb, order).awaitLive(clients);
            Thread.sleep(2000);
            long gatewayRss = stack.gateway.rssMiB();
            long ordersRss = stack.orders.rssMiB();
            long usersRss = stack.users.rssMiB();
            long rssAdded = gatewayRss + ordersRss + usersRss - rssBefore;

            long start = System.nanoTime();
            Sql.orders("update orders set state = 'PAID' where id = " + order);
            long[] at = new long[subscribers];
            for (int i = 0; i < subscribers; i++) {
                JsonNode change = clients.get(i).awaitData(1, Duration.ofSeconds(120)).getFirst().path("orderChanged");
                assertThat(change.path("order").path("state").asString()).isEqualTo("PAID");
                at[i] = clients.get(i).lastArrival() - start; // when it arrived, not when we looked
            }
            Arrays.sort(at);
            print("fan-out of one change to %d subscribers with distinct tokens, %s: first %.0f ms, p50 %.0f ms, p99 %.0f ms, all %.0f ms"
                    .formatted(subscribers, path, at[0] / 1e6, ms(at, 0.5), ms(at, 0.99), at[at.length - 1] / 1e6));
            if (throughGateway) {
                print("with %d open subscriptions through the gateway: RSS gateway %d MiB, orders-service %d MiB (heap %d MiB), users-service %d MiB; %+d MiB over all three since before they opened"
                        .formatted(subscribers, gatewayRss, ordersRss, heapMiB(stack.ordersUrl()), usersRss, rssAdded));
                new Target("fan-out: one change to 1,000 subscribers, gateway, all", 1000, "ms")
                        .report(at[at.length - 1] / 1e6, "first %.0f ms".formatted(at[0] / 1e6));
                new Target("memory: RSS added by 1,000 subscriptions, all processes", 150, "MiB")
                        .report(rssAdded, "gateway %d, orders %d, users %d MiB".formatted(gatewayRss, ordersRss, usersRss));
            }
        } finally {
            clients.forEach(GraphQlWsClient::close);
            opener.shutdownNow();
        }
    }

    /**
     * What one open subscription costs orders-service in heap: live heap (after a full collection, by
     * {@code jcmd GC.run}) before and after opening subscriptions straight to it, once with a WebSocket
     * each (a browser tab) and once a hundred to a connection. Quiet filters, so nothing is in flight.
     */
    @Test
    @Order(4)
    void heapPerOpenSubscriptionAtOrdersService() throws Exception {
        int subscriptions = Integer.getInteger("bench.subscribers", 1000);
        String quiet = "subscription($filter: OrderFilter) { orderChanges(filter: $filter) { action cursor order { id state } } }";
        long owner = TestData.user("heap");
        Map<String, ?> filter = Map.of("filter", Map.of("userId", TestData.globalId("User", owner)));
        int baseline = stack.activeSubscriptions();
        for (int perConnection : new int[] {1, 100}) {
            double before = stack.orders.liveHeapMiB();
            List<GraphQlWsClient> connections = new ArrayList<>();
            try {
                for (int c = 0; c < subscriptions / perConnection; c++) {
                    GraphQlWsClient connection = GraphQlWsClient.subscribe(stack.ordersUrl(), Tokens.viewer(owner), quiet, filter);
                    for (int s = 2; s <= perConnection; s++) {
                        connection.subscribe(String.valueOf(s), quiet, filter);
                    }
                    connections.add(connection);
                }
                stack.awaitSubscriptions(baseline + subscriptions);
                double after = stack.orders.liveHeapMiB();
                print("live heap at orders-service with %d open subscriptions, %d per WebSocket: %.1f MiB (%+.1f MiB), %.1f KiB per subscription"
                        .formatted(subscriptions, perConnection, after, after - before, (after - before) * 1024 / subscriptions));
            } finally {
                connections.forEach(GraphQlWsClient::close);
            }
            stack.awaitSubscriptions(active -> active <= baseline, "back to " + baseline);
            // Closed WebSocket sessions are let go a few seconds after their subscriptions (measured:
            // +44 MiB just after, back to the baseline 10 s later): the next phase starts from there.
            Thread.sleep(10_000);
        }
        print("live heap at orders-service after they closed: %.1f MiB".formatted(stack.orders.liveHeapMiB()));
    }

    private static long heapMiB(URI serviceUrl) {
        double bytes = new GraphQlClient(Stack.management(serviceUrl).resolve("/actuator/metrics/jvm.memory.used?tag=area:heap"), null).get()
                .json().path("measurements").get(0).path("value").asDouble();
        return (long) (bytes / (1024 * 1024));
    }

    private static void print(String line) {
        System.out.println("==== ChangeBenchmark: " + line);
    }
}
