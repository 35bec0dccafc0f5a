package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.StatementsRun;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements each service runs for one page of orders with their users must not grow with the page
 * size: orders-service's from its {@code db.statements.prepared} metric (Hibernate's), users-service's from
 * PostgreSQL's pg_stat_statements on its database, since its entity loader reads with plain JDBC, which the
 * metric does not see (and nothing else uses that database meanwhile).
 */
class NoNPlusOneTest extends GatewayTest {

    private static long staff;

    @BeforeAll
    static void fortyOrdersOfFortyUsers() {
        for (int i = 0; i < 40; i++) {
            TestData.orders(TestData.user("nplus1"), 1, LocalDate.of(2027, 1, 1).plusDays(i), "PAID");
        }
        staff = TestData.user("nplus1staff");
    }

    @Test
    void statementsPerRequestDoNotGrowWithThePageSizeInEitherService() throws SQLException {
        GraphQlClient client = gateway(Tokens.staff(staff));
        client.operation("ordersWithUsers", Map.of("first", 1)); // warm both services

        long[] small = statementsFor(client, 5);
        long[] large = statementsFor(client, 40);

        assertThat(large[0]).as("orders-service statements for 40 vs 5 orders").isEqualTo(small[0]).isLessThanOrEqualTo(1);
        assertThat(large[1]).as("users-service statements for 40 vs 5 users").isEqualTo(small[1]).isEqualTo(1);
    }

    private long[] statementsFor(GraphQlClient client, int first) throws SQLException {
        try (Connection usersDb = Stack.usersDb()) { // one connection: opening one runs statements too
            return statementsFor(client, first, usersDb);
        }
    }

    private long[] statementsFor(GraphQlClient client, int first, Connection usersDb) throws SQLException {
        long ordersBefore = stack.sqlStatements(stack.ordersUrl());
        long usersBefore = StatementsRun.on(usersDb);
        Response response = client.operation("ordersWithUsers", Map.of("first", first));
        assertThat(response.errors().isMissingNode()).as(response.toString()).isTrue();
        JsonNode edges = response.data().path("orders").path("edges");
        assertThat(edges.size()).isEqualTo(first);
        edges.forEach(edge -> assertThat(edge.path("node").path("user").path("username").asString()).startsWith("nplus1"));
        return new long[]{stack.sqlStatements(stack.ordersUrl()) - ordersBefore, StatementsRun.on(usersDb) - usersBefore};
    }
}
