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
