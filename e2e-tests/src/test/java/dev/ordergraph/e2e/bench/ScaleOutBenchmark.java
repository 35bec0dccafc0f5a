package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Prometheus;
import dev.ordergraph.e2e.support.ScaledStack;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ordergraph.e2e.bench.PacedUpdates.ms;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale-out mode's figures through the gateways, two replicas ({@link ScaledStack}), beside the
 * embedded mode of the same machine ({@link Stack}) where the issue asks what Kafka adds. Run with
 * {@code make bench}; results go to docs/benchmarks.md.
 */
@Tag("benchmark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutBenchmark {

    private static final String ORDER_CHANGED =
            "subscription($id: ID!) { orderChanged(id: $id) { action cursor order { id state user { username } } } }";
    private static final String BATCHES = """
            subscription($filter: OrderFilter) {
              orderChangeBatches(filter: $filter) { cursor changes { action cursor order { id state user { username email } } } }
            }""";
    private static final int ROUNDS = 3;

    private static Stack stack;
    private static ScaledStack scaled;

    @BeforeAll
    static void startBothModes() {
        stack = Stack.get();
        // 1 GiB heaps, so the heap measured is what the viewers need, not what a collector short of room
        // kept (when each viewer had a connection of its own, 5,000 held 504 MiB live in -Xmx512m).
        scaled = ScaledStack.start(Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g"));
    }

    @AfterAll
    static void stopTheScaledStack() {
        if (scaled != null) {
            scaled.stop();
        }
    }

    /**
     * The same 50/s single-row updates, embedded and scaled out, in alternating blocks: commit to a
     * viewer's {@code orderChanged} (with {@code user { username }}) through the gateway; scaled out,
     * at a viewer behind each replica's gateway at once.
     */
    @Test
    @Order(1)
    void commitToClientWithKafkaInThePathAgainstTheEmbeddedMode() {
        int count = Integer.getInteger("bench.updates", 500);
        long owner = TestData.user("scalelatency");
        String token = Tokens.viewer(owner);
        long embeddedOrder = TestData.orders(owner, 1, LocalDate.of(2029, 1, 1), "UNPAID").getFirst();
        long scaledOrder = ScaledStack.insert(owner, 1).getFirst();
        try (GraphQlWsClient embedded = GraphQlWsClient.subscribe(stack.gatewayUrl(), token, ORDER_CHANGED, Map.of("id", TestData.globalId("Order", embeddedOrder)));
             GraphQlWsClient leaderSide = GraphQlWsClient.subscribe(scaled.gateway(scaled.leader()), token, ORDER_CHANGED, Map.of("id", TestData.globalId("Order", scaledOrder)));
             GraphQlWsClient followerSide = GraphQlWsClient.subscribe(scaled.gateway(1 - scaled.leader()), token, ORDER_CHANGED, Map.of("id", TestData.globalId("Order", scaledOrder)))) {
            PacedUpdates embeddedUpdates = new PacedUpdates(Stack::ordersDb, embeddedOrder);
            PacedUpdates scaledUpdates = new PacedUpdates(ScaledStack::orders, scaledOrder);
            embeddedUpdates.awaitLive(List.of(embedded));
            scaledUpdates.awaitLive(List.of(leaderSide, followerSide));
            embeddedUpdates.warmUp(List.of(embedded), 100);
            scaledUpdates.warmUp(List.of(leaderSide, followerSide), 100);

            double[][] p50 = new double[3][ROUNDS];
            double[][] p99 = new double[3][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                PacedUpdates.Run run = embeddedUpdates.start(count, 50);
                long[] alone = run.latencies(embedded);
                run.await();
                run = scaledUpdates.start(count, 50);
                long[] viaLeader = run.latencies(leaderSide);
                long[] viaFollower = run.latencies(followerSide);
                run.await();
                long[][] all = {alone, viaLeader, viaFollower};
                for (int mode = 0; mode < 3; mode++) {
                    p50[mode][round] = ms(all[mode], 0.5);
                    p99[mode][round] = ms(all[mode], 0.99);
                }
                print("round %d, %d updates at 50/s, commit-to-client through the gateway: embedded p50 %.1f / p99 %.1f / max %.1f ms; Kafka, leader's gateway p50 %.1f / p99 %.1f / max %.1f ms; Kafka, follower's gateway p50 %.1f / p99 %.1f / max %.1f ms"
                        .formatted(round + 1, count, ms(alone, 0.5), ms(alone, 0.99), ms(alone, 1), ms(viaLeader, 0.5), ms(viaLeader, 0.99), ms(viaLeader, 1),
                                ms(viaFollower, 0.5), ms(viaFollower, 0.99), ms(viaFollower, 1)));
                // Where it goes: commit to the feed (capture, and the topic when scaled out), by the services' own timer.
                print("round %d, commit to the feed (ordergraph.changes.lag, recent p50 / p99): embedded %s; Kafka, leader %s, follower %s"
                        .formatted(round + 1, commitToFeed(stack.ordersUrl()), commitToFeed(scaled.replicaUrl(scaled.leader())),
                                commitToFeed(scaled.replicaUrl(1 - scaled.leader()))));
            }
            print("commit-to-client, median of %d rounds: embedded p50 %.1f / p99 %.1f ms; with Kafka (follower) p50 %.1f / p99 %.1f ms: Kafka adds %+.1f ms at p50, %+.1f ms at p99"
                    .formatted(ROUNDS, median(p50[0]), median(p99[0]), median(p50[2]), median(p99[2]),
                            median(p50[2]) - median(p50[0]), median(p99[2]) - median(p99[0])));
        }
    }

    /**
     * One 10,000-row UPDATE, embedded and scaled out in alternating rounds, until a staff subscriber of
     * {@code orderChangeBatches} (with user fields) has every row; scaled out, behind each replica's gateway.
     */
    @Test
    @Order(2)
    void oneTenThousandRowUpdateToSubscribersOnBothReplicas() {
        int rows = Integer.getInteger("bench.rows", 10_000);
        long owner = TestData.user("scaletenk");
        Sql.orders("insert into orders (date, state, user_id) select date '2029-02-01', 'UNPAID', " + owner + " from generate_series(1, " + rows + ")");
        ScaledStack.sql("insert into orders (date, state, user_id) select date '2029-02-01', 'UNPAID', " + owner + " from generate_series(1, " + rows + ")");
        String staff = Tokens.staff(TestData.user("scaletenkstaff"));
        Map<String, ?> filter = Map.of("filter", Map.of("userId", TestData.globalId("User", owner)));
        try (GraphQlWsClient embedded = GraphQlWsClient.subscribe(stack.gatewayUrl(), staff, BATCHES, filter);
             GraphQlWsClient first = GraphQlWsClient.subscribe(scaled.gateway(0), staff, BATCHES, filter);
             GraphQlWsClient second = GraphQlWsClient.subscribe(scaled.gateway(1), staff, BATCHES, filter)) {
            Probes.awaitLive(List.of(embedded), () -> TestData.orders(owner, 1, LocalDate.of(2029, 2, 2), "UNPAID").getFirst());
            Probes.awaitLive(List.of(first, second), () -> ScaledStack.insert(owner, 1).getFirst());
            bulk(embedded, List.of(first, second), owner, "PAID"); // warm-up, not measured
            double[][] runs = new double[3][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                double[] run = bulk(embedded, List.of(first, second), owner, round % 2 == 0 ? "UNPAID" : "PAID");
                for (int i = 0; i < 3; i++) {
                    runs[i][round] = run[i];
                }
                print("round %d, one UPDATE of %d rows, commit to the last row at a staff orderChangeBatches subscriber: embedded %.0f ms; Kafka, replica 0's gateway %.0f ms, replica 1's %.0f ms"
                        .formatted(round + 1, rows, run[0], run[1], run[2]));
            }
            print("%d-row UPDATE, median of %d rounds: embedded %.0f ms %s; with Kafka: replica 0 %.0f ms %s, replica 1 %.0f ms %s"
                    .formatted(rows, ROUNDS, median(runs[0]), rounded(runs[0]), median(runs[1]), rounded(runs[1]), median(runs[2]), rounded(runs[2])));
        }
    }

    /** One UPDATE of {@code owner}'s orders in each mode, one after the other: ms to the last row at each client. */
    private static double[] bulk(GraphQlWsClient embedded, List<GraphQlWsClient> scaledClients, long owner, String state) {
        String update = "update orders set state = '" + state + "' where user_id = " + owner;
        int rows = Sql.orders(update);
        double alone = BulkArrival.read(embedded, "orderChangeBatches", rows, state, System.nanoTime()).ms();
        rows = ScaledStack.sql(update);
        long committed = System.nanoTime();
        double[] result = {alone, 0, 0};
        for (int i = 0; i < 2; i++) {
            result[i + 1] = BulkArrival.read(scaledClients.get(i), "orderChangeBatches", rows, state, committed).ms();
        }
        return result;
    }

    /**
     * 10,000 viewers, each with a WebSocket and one subscription of their own, half through each
     * replica's gateway, as browser tabs would hold them: each replica's live heap and RSS and each
     * gateway's RSS before and after, and one viewer's change on each side while they are all open.
     */
    @Test
    @Order(3)
    void tenThousandOpenSubscriptionsSpreadOverTheReplicas() throws Exception {
        int viewers = Integer.getInteger("bench.viewers", 10_000);
        String ownChanges = "subscription { orderChanges { action cursor order { id state } } }";
        double[] heapBefore = {scaled.replica(0).liveHeapMiB(), scaled.replica(1).liveHeapMiB()};
        long[] rssBefore = {scaled.replica(0).rssMiB(), scaled.replica(1).rssMiB(), scaled.gatewayProcess(0).rssMiB(), scaled.gatewayProcess(1).rssMiB()};
        int[] openBefore = {scaled.settledOpen(0), scaled.settledOpen(1)};
        List<GraphQlWsClient> clients = new ArrayList<>();
        ExecutorService opener = Executors.newFixedThreadPool(16);
        try {
            long start = System.nanoTime();
            List<CompletableFuture<GraphQlWsClient>> opening = new ArrayList<>();
            for (int i = 0; i < viewers; i++) {
                URI gateway = scaled.gateway(i % 2);
                String token = Tokens.viewer(3_000_000 + i);
                opening.add(CompletableFuture.supplyAsync(() -> GraphQlWsClient.subscribe(gateway, token, ownChanges, Map.of()), opener));
            }
            opening.forEach(f -> clients.add(f.join()));
            for (int r = 0; r < 2; r++) {
                scaled.awaitOpenAtLeast(r, openBefore[r] + viewers / 2, Duration.ofMinutes(5));
            }
            double openSeconds = (System.nanoTime() - start) / 1e9;
            print("%d viewers subscribed (a WebSocket each, half through each gateway) in %.1f s (%.0f per second)"
                    .formatted(viewers, openSeconds, viewers / openSeconds));
            Thread.sleep(2000);
            double[] heap = {scaled.replica(0).liveHeapMiB(), scaled.replica(1).liveHeapMiB()};
            long[] rss = {scaled.replica(0).rssMiB(), scaled.replica(1).rssMiB(), scaled.gatewayProcess(0).rssMiB(), scaled.gatewayProcess(1).rssMiB()};
            for (int r = 0; r < 2; r++) {
                print("replica %d (%s) with %d open subscriptions: live heap %.0f MiB (%+.0f MiB, %.1f KiB per subscription), RSS %d MiB (%+d MiB); its gateway RSS %d MiB (%+d MiB)"
                        .formatted(r, scaled.health(r).path("details").path("role").asString(), scaled.open(r), heap[r], heap[r] - heapBefore[r],
                                (heap[r] - heapBefore[r]) * 1024 / (viewers / 2.0), rss[r], rss[r] - rssBefore[r], rss[r + 2], rss[r + 2] - rssBefore[r + 2]));
            }
            // One viewer on each side gets changes of their own, one at a time, among the others' quiet subscriptions.
            for (int r = 0; r < 2; r++) {
                GraphQlWsClient client = clients.get(r);
                long[] latencies = new long[20];
                for (int i = 0; i < latencies.length; i++) {
                    long committed;
                    try (Connection db = ScaledStack.orders(); Statement sql = db.createStatement()) {
                        sql.executeUpdate("insert into orders (state, user_id) values ('UNPAID', " + (3_000_000 + r) + ")");
                        committed = System.nanoTime();
                    }
                    JsonNode change = client.awaitData(1, Duration.ofSeconds(30)).getFirst().path("orderChanges");
                    assertThat(change.path("action").asString()).isEqualTo("CREATED");
                    latencies[i] = client.lastArrival() - committed;
                }
                Arrays.sort(latencies);
                print("with %d open: %d changes of one viewer, one at a time, through replica %d's gateway: commit to client p50 %.0f ms, max %.0f ms"
                        .formatted(viewers, latencies.length, r, ms(latencies, 0.5), ms(latencies, 1)));
            }
        } finally {
            clients.forEach(GraphQlWsClient::close);
            opener.shutdownNow();
            for (int r = 0; r < 2; r++) {
                scaled.awaitOpenAtMost(r, openBefore[r], Duration.ofMinutes(2));
            }
        }
    }

    /**
     * The leader killed ({@code kill -9}) while a writer commits one order every 20 ms, {@link #ROUNDS}
     * times: kill to the other leading with health UP, and the longest commit-to-client of any change at a
     * subscriber behind the survivor, which is the gap a client sees. Every change once, in order.
     */
    @Test
    @Order(4)
    void failoverGap() throws Exception {
        long[] takeovers = new long[ROUNDS];
        double[] gaps = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            int leader = scaled.leader();
            int survivor = 1 - leader;
            long owner = TestData.user("scalefailover");
            Map<Long, Long> committedAt = new ConcurrentHashMap<>();
            List<Long> written = new ArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            int before = scaled.settledOpen(survivor);
            try (GraphQlWsClient client = GraphQlWsClient.subscribe(scaled.gateway(survivor), Tokens.viewer(owner),
                    "subscription { orderChangeBatches { changes { order { id } } } }", Map.of())) {
                scaled.awaitOpen(survivor, before);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    while (writing.get()) {
                        long id = ScaledStack.insert(owner, 1).getFirst();
                        committedAt.put(id, System.nanoTime());
                        synchronized (written) {
                            written.add(id);
                        }
                        ServiceProcess.sleep(20);
                    }
                });
                Thread.sleep(2000);
                long killed = System.nanoTime();
                scaled.kill(leader);
                takeovers[round] = (scaled.awaitLeader(survivor, Duration.ofSeconds(30)) - killed) / 1_000_000;
                Thread.sleep(2000);
                writing.set(false);
                writer.get();

                List<Long> received = new ArrayList<>();
                long worst = 0;
                while (received.size() < written.size()) {
                    JsonNode batch = client.awaitData(1, Duration.ofSeconds(60)).getFirst().path("orderChangeBatches");
                    for (JsonNode change : batch.path("changes")) {
                        long id = TestData.databaseId(change.path("order").path("id").asString());
                        received.add(id);
                        worst = Math.max(worst, client.lastArrival() - committedAt.get(id));
                    }
                }
                assertThat(received).as("every change once, in commit order").containsExactlyElementsOf(written);
                gaps[round] = worst / 1e6;
                print("round %d: leader killed to the other leading (health UP) %d ms; longest commit-to-client at the survivor's subscriber %.0f ms; %d changes, each once, in order"
                        .formatted(round + 1, takeovers[round], gaps[round], written.size()));
            } finally {
                writing.set(false);
                scaled.restart(leader);
                scaled.roles();
            }
        }
        new Target("failover: leader kill -9 to the other leading, health UP", 5000, "ms")
                .reportMedian(Arrays.stream(takeovers).asDoubleStream().toArray());
        print("failover gap at a client (longest commit-to-client across the kill): %s ms".formatted(rounded(gaps)));
    }

    /**
     * The p50 and p99 of the service's commit-to-feed timer (Prometheus quantiles, in seconds there), over
     * its recent window: that spans earlier rounds too, so a slow first round can lift a later p99.
     */
    private static String commitToFeed(URI service) {
        URI scrape = Stack.management(service).resolve("/actuator/prometheus");
        return "%.1f / %.1f ms".formatted(
                Prometheus.metric(scrape, "ordergraph_changes_lag_seconds", "quantile=\"0.5\"") * 1000,
                Prometheus.metric(scrape, "ordergraph_changes_lag_seconds", "quantile=\"0.99\"") * 1000);
    }

    private static double median(double[] runs) {
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<Long> rounded(double[] ms) {
        return Arrays.stream(ms).mapToObj(Math::round).toList();
    }

    private static void print(String line) {
        System.out.println("==== ScaleOutBenchmark: " + line);
    }
}
