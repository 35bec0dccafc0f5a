package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.LoadRun;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.StatementsRun;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latency of one page of 50 orders with their users, through the gateway and directly against
 * orders-service, on an open-loop schedule ({@link LoadRun#atRate}): 50 requests a second, the target
 * rate, and 200 a second as a throughput probe (the achieved rate falls below 200 when the system cannot
 * keep up, and every request's latency counts from its intended start); then the throughput through the
 * gateway, as many pages as eight clients get answered in a closed loop. Each rate's 30 s warm-up
 * ({@code -Dbench.warmupSeconds}) is not measured: five seconds after start-up both services' JIT was still
 * compiling, which took half a core beside them. Not part of {@code make test}:
 * run it with {@code make bench} and copy the printed table into docs/benchmarks.md.
 */
@Tag("benchmark")
class QueryBenchmark {

    private static final String THROUGH_GATEWAY =
            "{ orders(first: 50) { edges { node { id state date user { username email } } } } }";
    // The subgraph alone cannot resolve username/email: those are the users subgraph's.
    private static final String DIRECT =
            "{ orders(first: 50) { edges { node { id state date user { id } } } } }";
    /** The target rate, then a higher one. */
    private static final int[] RATES = {50, 200};

    @Test
    void ordersPageOfFifty() {
        Stack stack = Stack.get();
        long staff = seed();
        String token = Tokens.staff(staff);
        GraphQlClient gateway = new GraphQlClient(stack.gatewayUrl(), token);
        GraphQlClient orders = new GraphQlClient(stack.ordersUrl(), token);
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 30));
        Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 15));

        List<String> lines = new ArrayList<>();
        LoadRun.Result gatewayAtTarget = null;
        LoadRun.Result directAtTarget = null;
        long failures = 0;
        // The gateway's own time of each request (its Server-Timing: its latency less the subgraph calls on its
        // critical path), with when it was taken, so that the warm-up's can be left out.
        java.util.Queue<double[]> ownTimes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        double[] ownAtTarget = null;
        for (int rate : RATES) {
            ownTimes.clear();
            LoadRun.Result viaGateway = LoadRun.atRate("gateway  orders(first:50) + user{username email}", rate, warmup, measure,
                    () -> {
                        GraphQlClient.Response response = gateway.execute(THROUGH_GATEWAY);
                        ownTimes.add(new double[] {System.nanoTime(), response.timing("gateway"), response.timing("subgraphs")});
                        return fifty(response);
                    });
            double[] own = ownTime(ownTimes, measure);
            lines.add("gateway's own time at %d/s (Server-Timing, %d requests after the warm-up): p50 %.2f ms, p99 %.2f ms; subgraph calls on its critical path p50 %.2f ms, p99 %.2f ms"
                    .formatted(rate, (int) own[4], own[0], own[1], own[2], own[3]));
            LoadRun.Result direct = LoadRun.atRate("orders-service orders(first:50) + user{id}", rate, warmup, measure,
                    () -> fifty(orders.execute(DIRECT)));
            lines.add(viaGateway.toString());
            lines.add(direct.toString());
            failures += viaGateway.failures() + direct.failures();
            if (gatewayAtTarget == null) {
                gatewayAtTarget = viaGateway;
                ownAtTarget = own;
                directAtTarget = direct;
            }
        }
        // Throughput: as many requests as 8 clients get answered, one after another each (a closed loop),
        // after the runs above warmed everything up.
        LoadRun.Result saturated = LoadRun.run("gateway  orders(first:50) + user{username email} throughput", 8,
                Duration.ofSeconds(10), measure, () -> fifty(gateway.execute(THROUGH_GATEWAY)));
        lines.add(saturated.toString());
        failures += saturated.failures();
        lines.add(statementsPerRequest(stack, gateway));
        System.out.println("\n==== QueryBenchmark (" + Runtime.getRuntime().availableProcessors() + " cores, open loop: latency from each request's intended start) ====");
        lines.forEach(System.out::println);
        new Target("queries: orders(first: 50) with users at 50/s, gateway p50 / direct p50", 2, "x")
                .report(gatewayAtTarget.p50Millis() / directAtTarget.p50Millis(), "gateway p50 %.1f ms, p99 %.1f ms; direct p50 %.1f ms, p99 %.1f ms"
                        .formatted(gatewayAtTarget.p50Millis(), gatewayAtTarget.p99Millis(), directAtTarget.p50Millis(), directAtTarget.p99Millis()));
        new Target("queries: gateway's own time at 50/s, p50", 2, "ms").report(ownAtTarget[0], "p99 %.2f ms".formatted(ownAtTarget[1]));
        new Target("queries: gateway's own time at 50/s, p99", 5, "ms").report(ownAtTarget[1], "subgraphs p99 %.2f ms".formatted(ownAtTarget[3]));
        assertThat(failures).as("failed requests").isZero();
    }

    /** p50 and p99 of the own times and of the subgraph times taken in the last {@code measure}, in ms, and their count. */
    private static double[] ownTime(java.util.Queue<double[]> samples, Duration measure) {
        double since = System.nanoTime() - measure.toNanos();
        double[] own = samples.stream().filter(s -> s[0] >= since && !Double.isNaN(s[1])).mapToDouble(s -> s[1]).sorted().toArray();
        double[] upstream = samples.stream().filter(s -> s[0] >= since && !Double.isNaN(s[2])).mapToDouble(s -> s[2]).sorted().toArray();
        assertThat(own).as("Server-Timing on the gateway's answers").isNotEmpty();
        return new double[] {quantile(own, 0.5), quantile(own, 0.99), quantile(upstream, 0.5), quantile(upstream, 0.99), own.length};
    }

    private static double quantile(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
    }

    /**
     * One-entity {@code _entities} calls straight to users-service with a bearer token, at 50/s on an
     * open-loop schedule (what a gateway sends it per subscription event without an entity cache), and
     * {@code { __typename }} with and without a token: the cost of one subgraph call.
     */
    @Test
    void oneEntityCallToTheUsersSubgraph() {
        Stack stack = Stack.get();
        long user = TestData.user("entity");
        String entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { username email } } }";
        Map<String, Object> representation = Map.of("r", List.of(Map.of("__typename", "User", "id", TestData.globalId("User", user))));
        GraphQlClient withToken = new GraphQlClient(stack.usersUrl(), Tokens.viewer(user));
        GraphQlClient anonymous = new GraphQlClient(stack.usersUrl(), null);
        LoadRun.Result entity = paced("_entities (one user, token)", () -> withToken.execute(entities, representation));
        LoadRun.Result typename = paced("{ __typename } with token", () -> withToken.execute("{ __typename }"));
        LoadRun.Result bare = paced("{ __typename } without", () -> anonymous.execute("{ __typename }"));
        // What the gateway sends for a page of 50 orders of 50 users (staff token, as the page's viewer).
        List<Map<String, String>> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(Map.of("__typename", "User", "id", TestData.globalId("User", TestData.user("entities"))));
        }
        GraphQlClient staff = new GraphQlClient(stack.usersUrl(), Tokens.staff(user));
        LoadRun.Result entities50 = paced("_entities (50 users, staff)", () -> staff.execute(entities, Map.of("r", fifty)));
        System.out.printf("==== QueryBenchmark: users-service at 50/s: _entities (50 users, staff token) p50 %.2f ms p99 %.2f ms%n",
                entities50.p50Millis(), entities50.p99Millis());
        System.out.printf("==== QueryBenchmark: users-service at 50/s: _entities (one user, token) p50 %.2f ms p99 %.2f ms; "
                        + "{ __typename } with token p50 %.2f ms p99 %.2f ms, without p50 %.2f ms p99 %.2f ms%n",
                entity.p50Millis(), entity.p99Millis(), typename.p50Millis(), typename.p99Millis(), bare.p50Millis(), bare.p99Millis());
        new Target("subgraph call: one-entity _entities to users-service at 50/s, p50", 2, "ms").report(entity.p50Millis(), "p99 %.2f ms".formatted(entity.p99Millis()));
        assertThat(entity.failures() + typename.failures() + bare.failures() + entities50.failures()).as("failed calls").isZero();
    }

    /** 500 calls at 50/s (10 s) after 100 to warm up, each latency from its intended start. */
    private static LoadRun.Result paced(String name, java.util.function.Supplier<GraphQlClient.Response> call) {
        return LoadRun.atRate(name, 50, Duration.ofSeconds(2), Duration.ofSeconds(10), () -> call.get().errors().isMissingNode());
    }

    /**
     * SQL statements each service runs per gateway request, over 20 requests with nothing else running:
     * orders-service's from its metric (Hibernate's), users-service's from pg_stat_statements on its
     * database, since its entity loader reads with plain JDBC, which the metric does not see.
     */
    private static String statementsPerRequest(Stack stack, GraphQlClient gateway) {
        try (Connection usersDb = Stack.usersDb()) {
            long orders = stack.sqlStatements(stack.ordersUrl());
            long users = StatementsRun.on(usersDb);
            for (int i = 0; i < 20; i++) {
                gateway.execute(THROUGH_GATEWAY);
            }
            return "SQL statements per gateway request: orders-service %.2f, users-service %.2f".formatted(
                    (stack.sqlStatements(stack.ordersUrl()) - orders) / 20.0, (StatementsRun.on(usersDb) - users) / 20.0);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
