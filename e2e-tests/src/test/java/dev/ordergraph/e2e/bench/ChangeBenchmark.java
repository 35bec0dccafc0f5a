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

import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ordergraph.e2e.bench.PacedUpdates.ms;

/**
 * Commit-to-client figures of the change pipeline through the gateway over WebSocket, each printed
 * beside its target. Run with {@code make bench}; results go to docs/benchmarks.md.
 */
@Tag("benchmark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeBenchmark {

    static final int RATE = 50;
    /**
     * Updates at {@link #RATE} before the measured ones: the first events of a fresh process pay for
     * compilation (JIT) on every hop. 250 unless {@code bench.warmUpUpdates} says otherwise: after them
     * orders-service's C2 compiler still takes an eighth of a core (5 s of CPU in 45 s, measured), so
     * comparing two set-ups' steady state wants a longer one (docs/benchmarks.md).
     */
    static final int WARM_UP_UPDATES = Integer.getInteger("bench.warmUpUpdates", 250);
    static final int FIRST_SECONDS = 10;
    private final Stack stack = Stack.get();

    /**
     * 250 updates to warm up ({@code bench.warmUpUpdates}), then {@code bench.updates} (500) measured, one continuous schedule at 50/s.
     * Steady figures are those after the warm-up; the first 10 s are the writes due in the first ten
     * seconds of the schedule (the warm-up included), which should stay within 2x of the steady p99.
     */
    @Test
    @Order(1)
    void commitToClientLatencyAtFiftySingleRowUpdatesPerSecond() throws Exception {
        int count = Integer.getInteger("bench.updates", 500);
        Latency latency = latency(count);
        long[] roundTrips = latency.roundTrips();
        long[] gateway = latency.gateway();
        long[] directSteady = latency.direct();
        long[] gatewayFirst = latency.gatewayFirst();
        long[] directFirst = latency.directFirst();
        print("commit-to-client, %d updates of one order at 50/s after %d to warm up, through the gateway with user { username }: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                .formatted(count, WARM_UP_UPDATES, ms(gateway, 0.5), ms(gateway, 0.9), ms(gateway, 0.99), ms(gateway, 1)));
        print("commit-to-client, the same updates, orders-service direct, order fields only: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                .formatted(ms(directSteady, 0.5), ms(directSteady, 0.9), ms(directSteady, 0.99), ms(directSteady, 1)));
        print("commit-to-client in the first %d s of the schedule (%d updates, warm-up included): gateway p50 %.1f ms, p99 %.1f ms, max %.1f ms; direct p50 %.1f ms, p99 %.1f ms"
                .formatted(FIRST_SECONDS, gatewayFirst.length, ms(gatewayFirst, 0.5), ms(gatewayFirst, 0.99), ms(gatewayFirst, 1),
                        ms(directFirst, 0.5), ms(directFirst, 0.99)));
        print("the writer's statement round trip (sent to committed and answered): p50 %.2f ms, p99 %.2f ms, max %.2f ms; latencies count from before it"
                .formatted(ms(roundTrips, 0.5), ms(roundTrips, 0.99), ms(roundTrips, 1)));
        new Target("latency: p99 commit-to-client at 50/s, gateway, user fields", 30, "ms")
                .report(ms(gateway, 0.99), "orders-service direct p99 %.1f ms".formatted(ms(directSteady, 0.99)));
        new Target("latency: p50 commit-to-client at 50/s, gateway, user fields", 12, "ms")
                .report(ms(gateway, 0.5), "orders-service direct p50 %.1f ms".formatted(ms(directSteady, 0.5)));
        new Target("latency: first 10 s p99 / steady p99, gateway", 2, "x")
                .report(ms(gatewayFirst, 0.99) / ms(gateway, 0.99), "first 10 s p99 %.1f ms".formatted(ms(gatewayFirst, 0.99)));
    }

    /**
     * One schedule of {@link #WARM_UP_UPDATES} + {@code count} updates of one order at {@link #RATE}, and
     * their arrival (in the order of the updates) at a viewer's {@code orderChanged} with {@code user { username }}
     * through the gateway and at one with order fields only straight from orders-service, from the same commits.
     */
    static Latency latency(int count) {
        Stack stack = Stack.get();
        long owner = TestData.user("latency");
        long order = TestData.orders(owner, 1, LocalDate.of(2029, 1, 1), "UNPAID").getFirst();
        String withUser = "subscription($id: ID!) { orderChanged(id: $id) { action cursor order { id state user { username } } } }";
        String orderOnly = "subscription($id: ID!) { orderChanged(id: $id) { action cursor order { id state } } }";
        Map<String, String> variables = Map.of("id", TestData.globalId("Order", order));
        // Both at once, from the same commits: orders-service's own share, and the whole path.
        try (GraphQlWsClient viaGateway = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), withUser, variables);
             GraphQlWsClient direct = GraphQlWsClient.subscribe(stack.ordersUrl(), Tokens.viewer(owner), orderOnly, variables)) {
            PacedUpdates updates = new PacedUpdates(Stack::ordersDb, order);
            updates.awaitLive(List.of(viaGateway, direct));
            PacedUpdates.Run run = updates.start(WARM_UP_UPDATES + count, RATE);
            return new Latency(run.inOrder(viaGateway), run.inOrder(direct), run.roundTrips());
        }
    }

    /** Latencies (ns) in the order of the updates, warm-up included; the statements' round trips, sorted. */
    record Latency(long[] gatewayInOrder, long[] directInOrder, long[] roundTrips) {

        /** Through the gateway after the warm-up, sorted. */
        long[] gateway() {
            return PacedUpdates.sorted(gatewayInOrder, WARM_UP_UPDATES, gatewayInOrder.length);
        }

        long[] direct() {
            return PacedUpdates.sorted(directInOrder, WARM_UP_UPDATES, directInOrder.length);
        }

        /** Through the gateway, the updates due in the first {@link #FIRST_SECONDS} of the schedule, sorted. */
        long[] gatewayFirst() {
            return first(gatewayInOrder);
        }

        long[] directFirst() {
            return first(directInOrder);
        }

        static long[] first(long[] inOrder) {
            return PacedUpdates.sorted(inOrder, 0, Math.min(inOrder.length, FIRST_SECONDS * RATE));
        }
    }

    @Test
    @Order(2)
    void oneUpdateOfTenThousandRowsUntilAStaffSubscriberHasEveryRow() {
        double[][] runs = bulk(Integer.getInteger("bench.rows", 10_000), 3);
        new Target("bulk: 10,000-row UPDATE, orderChangeBatches, staff, user fields", 400, "ms").reportMedian(runs[0]);
        new Target("bulk: 10,000-row UPDATE, orderChanges, staff, user fields", 1000, "ms").reportMedian(runs[1]);
    }

    /**
     * {@code rows} orders of one user; one UPDATE of them all to a staff subscriber of {@code orderChangeBatches},
     * then one to a subscriber of {@code orderChanges}: a round not measured (JIT), then {@code rounds}.
     * Returns commit to the last row in ms, {batches, per change}.
     */
    static double[][] bulk(int rows, int rounds) {
        long owner = TestData.user("tenk");
        Sql.orders("insert into orders (date, state, user_id) select date '2029-02-01', 'UNPAID', " + owner + " from generate_series(1, " + rows + ")");
        String batches = """
                subscription($filter: OrderFilter) {
                  orderChangeBatches(filter: $filter) { cursor changes { action cursor order { id state user { username email } } } }
                }""";
        String perChange = """
                subscription($filter: OrderFilter) {
                  orderChanges(filter: $filter) { action cursor order { id state user { username email } } }
                }""";
        // One run of each, not measured, warms up every hop (JIT); then the rounds, alternating.
        bulkUpdate(owner, batches, "orderChangeBatches", "PAID");
        bulkUpdate(owner, perChange, "orderChanges", "UNPAID");
        double[] batched = new double[rounds];
        double[] single = new double[rounds];
        for (int run = 0; run < rounds; run++) {
            batched[run] = bulkUpdate(owner, batches, "orderChangeBatches", "PAID");
            single[run] = bulkUpdate(owner, perChange, "orderChanges", "UNPAID");
        }
        return new double[][] {batched, single};
    }

    /** Commit to the last row's change at a staff subscriber of {@code field}, in ms; checks each row arrives once. */
    private static double bulkUpdate(long owner, String query, String field, String state) {
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(Stack.get().gatewayUrl(), Tokens.staff(TestData.user("tenkstaff")), query,
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

    /**
     * One change to {@code bench.subscribers} (1,000) staff viewers of one order, each with a token of
     * its own. First as viewers who signed in over the past hour would hold them: the i-th issued
     * {@code i * 3.6 s} after the first, each valid for two hours (so each newcomer's token outlives the
     * earlier ones'), subscribing one after another in sign-in order. Then with tokens minted together
     * (one expiry), and straight to orders-service.
     */
    @Test
    @Order(3)
    void oneChangeFannedOutToAThousandSubscribersWithDistinctTokens() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        String withUser = FAN_OUT_WITH_USER;
        String orderOnly = "subscription($id: ID!) { orderChanged(id: $id) { action order { id state } } }";

        // The whole path first (its memory is measured from a baseline no other fan-out has raised),
        // then tokens of one expiry, then where the time goes: orders-service alone, its own fields, no gateway.
        double signedIn = fanOut("through the gateway, viewers who signed in over the past hour", stack.gatewayUrl(), withUser,
                signedInOverAnHour(4_000_000, subscribers), true).arrival().allMillis();
        double together = fanOut("through the gateway, tokens minted together (one expiry)", stack.gatewayUrl(), withUser,
                mintedTogether(1_000_000, subscribers), false).arrival().allMillis();
        fanOut("orders-service direct, order fields only, viewers who signed in over the past hour", stack.ordersUrl(), orderOnly,
                signedInOverAnHour(5_000_000, subscribers), false);
        new Target("fan-out: one change to 1,000 viewers signed in over an hour, gateway, all", 150, "ms")
                .report(signedIn, "tokens minted together: all %.0f ms".formatted(together));
    }

    /**
     * Staff tokens of {@code count} viewers who signed in one after another over the past hour, in
     * sign-in order: the i-th issued at {@code now - 1 h + i h / count}, expiring two hours after it.
     */
    static List<String> signedInOverAnHour(long firstUserId, int count) {
        java.time.Instant hourAgo = java.time.Instant.now().minusSeconds(3600);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            java.time.Instant issued = hourAgo.plusMillis(3_600_000L * i / count);
            tokens.add(Tokens.staff(firstUserId + i, issued, issued.plusSeconds(7200)));
        }
        return tokens;
    }

    /** Staff tokens of {@code count} distinct users issued in one batch: one expiry. */
    static List<String> mintedTogether(long firstUserId, int count) {
        java.time.Instant expiry = java.time.Instant.now().plusSeconds(3600);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(Tokens.staff(firstUserId + i, expiry));
        }
        return tokens;
    }

    /** A staff viewer's subscription to one order with its user's username, as the fan-out's subscribers select it. */
    static final String FAN_OUT_WITH_USER = "subscription($id: ID!) { orderChanged(id: $id) { action order { id state user { username } } } }";

    /** One fan-out, and the RSS all three processes added with its subscriptions open. */
    record Spread(FanOut arrival, long rssAddedMiB) {
    }

    /** One change to subscribers of {@code query} (one per token, opened one after another in the tokens' order). */
    static Spread fanOut(String path, URI url, String query, List<String> tokens, boolean measureMemory) throws Exception {
        Stack stack = Stack.get();
        long owner = TestData.user("fanout");
        long order = TestData.orders(owner, 1, LocalDate.of(2029, 3, 1), "UNPAID").getFirst();
        Map<String, String> variables = Map.of("id", TestData.globalId("Order", order));
        List<GraphQlWsClient> clients = new ArrayList<>();
        try {
            Thread.sleep(2000); // let earlier garbage settle before reading memory
            long rssBefore = stack.gateway.rssMiB() + stack.orders.rssMiB() + stack.users.rssMiB();
            for (String token : tokens) { // one after another, as the viewers arrive
                clients.add(GraphQlWsClient.subscribe(url, token, query, variables));
            }
            new PacedUpdates(Stack::ordersDb, order).awaitLive(clients);
            Thread.sleep(2000);
            long gatewayRss = stack.gateway.rssMiB();
            long ordersRss = stack.orders.rssMiB();
            long usersRss = stack.users.rssMiB();
            long rssAdded = gatewayRss + ordersRss + usersRss - rssBefore;

            FanOut arrival = FanOut.read(clients, PacedUpdates.stamped(Stack::ordersDb, "update orders set state = 'PAID' where id = " + order),
                    data -> data.path("orderChanged").path("order").path("state").asString().equals("PAID"));
            print("fan-out of one change to %d subscribers with distinct tokens, %s: %s".formatted(tokens.size(), path, arrival));
            if (measureMemory) {
                print("with %d open subscriptions through the gateway: RSS gateway %d MiB, orders-service %d MiB (heap %d MiB), users-service %d MiB; %+d MiB over all three since before they opened"
                        .formatted(tokens.size(), gatewayRss, ordersRss, heapMiB(stack.ordersUrl()), usersRss, rssAdded));
                new Target("memory: RSS added by 1,000 subscriptions, all processes", 150, "MiB")
                        .report(rssAdded, "gateway %d, orders %d, users %d MiB".formatted(gatewayRss, ordersRss, usersRss));
            }
            return new Spread(arrival, rssAdded);
        } finally {
            clients.forEach(GraphQlWsClient::close);
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
