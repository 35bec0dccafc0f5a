package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.LoadRun;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long changes stop when something underneath fails, each figure printed beside its target. Run with
 * {@code make bench}; results go to docs/benchmarks.md.
 */
@Tag("benchmark")
class FaultBenchmark {

    private static final String CHANGES = """
            subscription($filter: OrderFilter) { orderChanges(filter: $filter) { action cursor order { id state } } }""";

    /**
     * The replication connection terminated ({@code pg_terminate_backend} of the slot's walsender), then one
     * order inserted at once: the time from the kill until a subscriber has that order, five times.
     */
    @Test
    void changesFlowAgainAfterTheWalsenderIsKilled() throws Exception {
        Stack stack = Stack.get();
        long owner = TestData.user("walsender");
        int rounds = 5;
        long[] gaps = new long[rounds];
        int baseline = stack.activeSubscriptions();
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES, Map.of())) {
            stack.awaitSubscriptions(baseline + 1);
            for (int round = 0; round < rounds; round++) {
                int pid = awaitWalsender(Duration.ofSeconds(60));
                long killed = System.nanoTime();
                try (Connection admin = Stack.ordersDb(); Statement sql = admin.createStatement()) {
                    sql.execute("select pg_terminate_backend(" + pid + ")");
                }
                long id = TestData.orders(owner, 1, LocalDate.of(2030, 1, 1), "PAID").getFirst();
                var change = client.awaitData(1, Duration.ofSeconds(60)).getFirst().path("orderChanges");
                gaps[round] = (System.nanoTime() - killed) / 1_000_000;
                assertThat(change.path("order").path("id").asString()).isEqualTo(TestData.globalId("Order", id));
                Thread.sleep(1_000);
            }
            client.assertNothingFor(Duration.ofSeconds(1)); // nothing repeated by the reconnections
        }
        long[] sorted = gaps.clone();
        Arrays.sort(sorted);
        System.out.println("==== FaultBenchmark: walsender killed, kill to the next change at the client (ms): " + Arrays.toString(gaps));
        new Target("fault: walsender killed, kill to next change at client, worst of 5", 1000, "ms")
                .report(sorted[rounds - 1], "median %d ms".formatted(sorted[rounds / 2]));
    }

    /**
     * orders-service killed with {@code kill -9} and started again (from its ahead-of-time cache, as
     * {@code make run} starts it): the time from the kill until its health is UP, three times.
     */
    @Test
    void ordersServiceIsUpAgainSoonAfterAKill() {
        Stack stack = Stack.get();
        int rounds = 3;
        long[] upMillis = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long killed = System.nanoTime();
            stack.orders.kill();
            stack.orders.start();
            stack.orders.awaitHealthy(Duration.ofSeconds(120));
            upMillis[round] = (System.nanoTime() - killed) / 1_000_000;
        }
        long[] sorted = upMillis.clone();
        Arrays.sort(sorted);
        System.out.println("==== FaultBenchmark: orders-service kill -9 to health UP (ms): " + Arrays.toString(upMillis));
        new Target("fault: orders-service kill -9 to health UP, worst of 3", 10_000, "ms")
                .report(sorted[rounds - 1], "median %d ms".formatted(sorted[rounds / 2]));
    }

    /**
     * Costlier operations are refused before they run ({@code MAX_COST}); this is what the costliest allowed
     * ones do to everybody else. A viewer's small page, c=1, alone and then while two staff clients loop
     * a query of two aliased nested pages (a user's 100 orders, each order's user's 100 orders: 40,804
     * objects estimated, just under {@code MAX_COST}; 20,000 order nodes returned).
     */
    @Test
    void anotherClientsLatencyHoldsWhileTheCostliestAllowedQueriesRun() throws Exception {
        Stack stack = Stack.get();
        long heavyUser = TestData.user("costly");
        TestData.orders(heavyUser, 100, LocalDate.of(2029, 6, 1), "PAID");
        long viewer = TestData.user("bystander");
        TestData.orders(viewer, 10, LocalDate.of(2029, 6, 1), "UNPAID");
        String nested = "user(id: \"%s\") { orders(first: 100) { edges { node { id user { orders(first: 100) { edges { node { id state } } } } } } } }"
                .formatted(TestData.globalId("User", heavyUser));
        String costly = "{ a: " + nested + " b: " + nested + " }";
        GraphQlClient staff = new GraphQlClient(stack.gatewayUrl(), Tokens.staff(heavyUser));
        GraphQlClient bystander = new GraphQlClient(stack.gatewayUrl(), Tokens.viewer(viewer));
        String page = "{ orders(first: 10) { edges { node { id state date } } } }";
        java.util.function.Supplier<Boolean> small = () -> bystander.execute(page).data().path("orders").path("edges").size() == 10;

        GraphQlClient.Response probe = staff.execute(costly);
        assertThat(probe.errors().isMissingNode() || probe.errors().isEmpty()).as("allowed: " + probe.body().substring(0, Math.min(300, probe.body().length()))).isTrue();
        assertThat(probe.body().length()).as("bytes of one costly answer").isGreaterThan(500_000);

        LoadRun.Result alone = LoadRun.run("bystander's page, alone", 1, Duration.ofSeconds(5), Duration.ofSeconds(15), small);
        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong costlyDone = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong costlyNanos = new java.util.concurrent.atomic.AtomicLong();
        java.util.List<Thread> heavy = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            heavy.add(Thread.ofVirtual().start(() -> {
                while (loading.get()) {
                    long t0 = System.nanoTime();
                    staff.execute(costly);
                    costlyNanos.addAndGet(System.nanoTime() - t0);
                    costlyDone.incrementAndGet();
                }
            }));
        }
        LoadRun.Result loaded;
        try {
            loaded = LoadRun.run("bystander's page, 2 costly loops running", 1, Duration.ofSeconds(5), Duration.ofSeconds(15), small);
        } finally {
            loading.set(false);
            for (Thread thread : heavy) {
                thread.join();
            }
        }
        System.out.println("==== FaultBenchmark: " + alone);
        System.out.println("==== FaultBenchmark: " + loaded);
        System.out.println("==== FaultBenchmark: costly query (%d bytes): %d answered, mean %.0f ms"
                .formatted(probe.body().length(), costlyDone.get(), costlyNanos.get() / 1e6 / Math.max(1, costlyDone.get())));
        assertThat(loaded.failures()).isZero();
    }

    /** The pid of the walsender streaming the service's slot, once there is one. */
    private static int awaitWalsender(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection admin = Stack.ordersDb(); Statement sql = admin.createStatement();
                 ResultSet rs = sql.executeQuery("select active_pid from pg_replication_slots where slot_name = '"
                         + Stack.CDC_SLOT + "' and active_pid is not null")) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no walsender for the slot within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
