package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.LoadRun;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throughput and latency of one page of 50 orders with their users, through the gateway and
 * directly against orders-service, at concurrency 1 and 32. Not part of {@code make test}:
 * run it with {@code make bench} and copy the printed table into docs/benchmarks.md.
 */
@Tag("benchmark")
class QueryBenchmark {

    private static final String THROUGH_GATEWAY =
            "{ orders(first: 50) { edges { node { id state date user { username email } } } } }";
    // The subgraph alone cannot resolve username/email: those are the users subgraph's.
    private static final String DIRECT =
            "{ orders(first: 50) { edges { node { id state date user { id } } } } }";

    @Test
    void ordersPageOfFifty() {
        Stack stack = Stack.get();
        long staff = seed();
        String token = Tokens.staff(staff);
        GraphQlClient gateway = new GraphQlClient(stack.gatewayUrl(), token);
        GraphQlClient orders = new GraphQlClient(stack.ordersUrl(), token);
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 5));
        Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 15));

        List<String> lines = new ArrayList<>();
        double ratio = 0;
        String ratioDetail = "";
        for (int concurrency : new int[]{1, 32}) {
            LoadRun.Result viaGateway = LoadRun.run("gateway  orders(first:50) + user{username email}", concurrency, warmup, measure,
                    () -> fifty(gateway.execute(THROUGH_GATEWAY)));
            LoadRun.Result direct = LoadRun.run("orders-service orders(first:50) + user{id}", concurrency, warmup, measure,
                    () -> fifty(orders.execute(DIRECT)));
            lines.add(viaGateway.toString());
            lines.add(direct.toString());
            assertThat(viaGateway.failures() + direct.failures()).isZero();
            if (concurrency == 1) {
                ratio = viaGateway.p50Millis() / direct.p50Millis();
                ratioDetail = "gateway p50 %.1f ms, direct p50 %.1f ms".formatted(viaGateway.p50Millis(), direct.p50Millis());
            }
        }
        lines.add(statementsPerRequest(stack, gateway));
        System.out.println("\n==== QueryBenchmark (" + Runtime.getRuntime().availableProcessors() + " cores) ====");
        lines.forEach(System.out::println);
        new Target("queries: orders(first: 50) with users, c=1, gateway p50 / direct p50", 2, "x").report(ratio, ratioDetail);
    }

    /**
     * One-entity {@code _entities} calls straight to users-service with a bearer token, paced at 50/s (what
     * a gateway sends it per subscription event without an entity cache), and {@code { __typename }}
     * with and without a token: the cost of one subgraph call.
     */
    @Test
    void oneEntityCallToTheUsersSubgraph() throws InterruptedException {
        Stack stack = Stack.get();
        long user = TestData.user("entity");
        String entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { username email } } }";
        Map<String, Object> representation = Map.of("r", List.of(Map.of("__typename", "User", "id", TestData.globalId("User", user))));
        GraphQlClient withToken = new GraphQlClient(stack.usersUrl(), Tokens.viewer(user));
        GraphQlClient anonymous = new GraphQlClient(stack.usersUrl(), null);
        double[] entity = paced(() -> withToken.execute(entities, representation));
        double[] typename = paced(() -> withToken.execute("{ __typename }"));
        double[] bare = paced(() -> anonymous.execute("{ __typename }"));
        System.out.printf("==== QueryBenchmark: users-service at 50/s: _entities (one user, token) p50 %.2f ms p99 %.2f ms; "
                        + "{ __typename } with token p50 %.2f ms p99 %.2f ms, without p50 %.2f ms p99 %.2f ms%n",
                entity[0], entity[1], typename[0], typename[1], bare[0], bare[1]);
        new Target("subgraph call: one-entity _entities to users-service at 50/s, p50", 2, "ms").report(entity[0], "p99 %.2f ms".formatted(entity[1]));
    }

    /** p50 and p99 in ms of 500 calls made 20 ms apart, after 100 to warm up. */
    private static double[] paced(java.util.function.Supplier<GraphQlClient.Response> call) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            assertThat(call.get().errors().isMissingNode()).isTrue();
        }
        long[] latencies = new long[500];
        long start = System.nanoTime();
        for (int i = 0; i < latencies.length; i++) {
            long wait = start + i * 20_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long sent = System.nanoTime();
            assertThat(call.get().errors().isMissingNode()).isTrue();
            latencies[i] = System.nanoTime() - sent;
        }
        java.util.Arrays.sort(latencies);
        return new double[]{latencies[249] / 1e6, latencies[494] / 1e6};
    }

    /** SQL statements each service prepares per gateway request, over 20 requests with nothing else running. */
    private static String statementsPerRequest(Stack stack, GraphQlClient gateway) {
        long orders = stack.sqlStatements(stack.ordersUrl());
        long users = stack.sqlStatements(stack.usersUrl());
        for (int i = 0; i < 20; i++) {
            gateway.execute(THROUGH_GATEWAY);
        }
        return "SQL statements per gateway request: orders-service %.2f, users-service %.2f".formatted(
                (stack.sqlStatements(stack.ordersUrl()) - orders) / 20.0, (stack.sqlStatements(stack.usersUrl()) - users) / 20.0);
    }

    private static boolean fifty(GraphQlClient.Response response) {
        return response.status() == 200 && response.errors().isMissingNode()
                && response.data().path("orders").path("edges").size() == 50;
    }

    /** 50 users with 2 orders each, so every page needs 50 distinct users from the users subgraph. */
    private static long seed() {
        for (int i = 0; i < 50; i++) {
            TestData.orders(TestData.user("bench"), 2, LocalDate.of(2028, 1, 1).plusDays(i), "PAID");
        }
        return TestData.user("benchstaff");
    }

}
