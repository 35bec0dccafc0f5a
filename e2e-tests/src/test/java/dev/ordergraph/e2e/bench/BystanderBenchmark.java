package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the costliest subscription the limits allow does to everyone else: a staff subscriber selects as
 * much per change as MAX_COST lets a per-change subscription have (its price is that times the largest
 * batch), then one UPDATE changes 2,000 of the rows it watches. Meanwhile a bystander asks
 * {@code { me { id } }} at 20 requests a second on an open-loop schedule (each latency measured from the
 * request's intended start, so a stall counts for every request it delays). Prints the bystander's
 * latency before and during, the subscriber's delivery time, and the gateway's RSS growth.
 * Run with {@code make bench}, or alone:
 * {@code ./mvnw -o verify -pl e2e-tests -Pbench -Dtest=BystanderBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class BystanderBenchmark {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int ROWS = Integer.getInteger("bench.bystanderRows", 2000);
    private static final long INTERVAL_NANOS = 50_000_000; // 20 requests a second
    /** About 44 objects a change (the change, its order, the user, a page of 20 orders): 44,000 at 1,000 a batch. */
    private static final String HEAVIEST_ALLOWED = """
            subscription($filter: OrderFilter) {
              orderChanges(filter: $filter) {
                action order { id state user { username orders(first: 20) { edges { node { id state } } } } }
              }
            }""";

    private final Stack stack = Stack.get();

    @Test
    void aBystandersQueriesKeepTheirLatencyWhileTheCostliestAllowedSubscriptionTakesABulkUpdate() throws Exception {
        long owner = TestData.user("bulkowner");
        Sql.orders("insert into orders (date, state, user_id) select date '2029-03-01', 'UNPAID', " + owner + " from generate_series(1, " + ROWS + ")");
        long bystander = TestData.user("bystander");
        GraphQlClient bystanderClient = new GraphQlClient(stack.gatewayUrl(), Tokens.viewer(bystander));
        Map<String, Object> filter = Map.of("filter", Map.of("userId", TestData.globalId("User", owner)));

        try (GraphQlWsClient subscriber = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.staff(TestData.user("bulkstaff")), HEAVIEST_ALLOWED, filter)) {
            // Probe orders are PAID already, so the UPDATE below changes exactly ROWS rows.
            Probes.awaitLive(List.of(subscriber), () -> TestData.orders(owner, 1, java.time.LocalDate.of(2029, 3, 2), "PAID").getFirst());

            openLoop(bystanderClient, Duration.ofSeconds(5), null); // warm-up: the first requests plan and compile
            long[] quiet = openLoop(bystanderClient, Duration.ofSeconds(5), null);
            long rssBefore = stack.gateway.rssMiB();
            AtomicLong rssPeak = new AtomicLong(rssBefore);
            CompletableFuture<Long> delivered = new CompletableFuture<>();
            long[] during;
            try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
                long start = System.nanoTime();
                background.submit(() -> {
                    Sql.orders("update orders set state = 'PAID' where state = 'UNPAID' and user_id = " + owner);
                    return null;
                });
                background.submit(() -> {
                    int received = 0;
                    while (received < ROWS) {
                        JsonNode message = subscriber.poll(WAIT);
                        assertThat(message).as("%d of %d changes", received, ROWS).isNotNull();
                        assertThat(message.path("payload").has("errors")).as(message.toString()).isFalse();
                        received++;
                    }
                    delivered.complete((System.nanoTime() - start) / 1_000_000);
                    return null;
                });
                background.submit(() -> {
                    while (!delivered.isDone()) {
                        rssPeak.accumulateAndGet(stack.gateway.rssMiB(), Math::max);
                        Thread.sleep(100);
                    }
                    return null;
                });
                during = openLoop(bystanderClient, null, delivered);
            }
            long rssAfter = stack.gateway.rssMiB();

            System.out.printf("bystander { me { id } } at 20/s, before: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests)%n",
                    ms(quiet, 0.5), ms(quiet, 0.99), ms(quiet, 1), quiet.length);
            System.out.printf("bystander during a %,d-row UPDATE to the costliest allowed per-change subscriber: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests)%n",
                    ROWS, ms(during, 0.5), ms(during, 0.99), ms(during, 1), during.length);
            System.out.printf("subscriber had every change after %,d ms; gateway RSS %d MiB before, peak %d MiB (+%d), %d MiB after%n",
                    delivered.get(), rssBefore, rssPeak.get(), rssPeak.get() - rssBefore, rssAfter);
            new Target("bystander p99 during the costliest allowed subscription", 100, "ms")
                    .report(ms(during, 0.99), "p50 %.1f ms; before: p99 %.1f ms; gateway RSS +%d MiB".formatted(ms(during, 0.5), ms(quiet, 0.99), rssPeak.get() - rssBefore));
        }
    }

    /**
     * Sends the bystander's query every 50 ms, for {@code duration} or until {@code until} is done, each on
     * its own thread at its intended start (an open loop: a slow answer does not delay the next request).
     * Returns each latency from the intended start, in nanoseconds, sorted.
     */
    private static long[] openLoop(GraphQlClient client, Duration duration, CompletableFuture<?> until) throws Exception {
        List<CompletableFuture<Long>> requests = new ArrayList<>();
        long first = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; ; i++) {
                long intended = first + i * INTERVAL_NANOS;
                if (duration != null ? intended - first >= duration.toNanos() : until.isDone()) {
                    break;
                }
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                requests.add(CompletableFuture.supplyAsync(() -> {
                    GraphQlClient.Response response = client.execute("{ me { id } }");
                    long latency = System.nanoTime() - intended;
                    assertThat(response.errors().isEmpty()).as(response.toString()).isTrue();
                    return latency;
                }, senders));
            }
            long[] latencies = new long[requests.size()];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = requests.get(i).get();
            }
            Arrays.sort(latencies);
            return latencies;
        }
    }

    private static double ms(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
