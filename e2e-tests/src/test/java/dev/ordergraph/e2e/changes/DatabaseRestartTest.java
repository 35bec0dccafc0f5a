package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.StackLocks;
import dev.ordergraph.e2e.support.PrivatePostgres;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL restarted under live subscriptions. The machine's server is shared with everything else,
 * so this test runs an orders-service (and a gateway in front of it) on a PostgreSQL of its own, which
 * it stops and starts as {@code pg_ctl restart} or a failover would: queries meanwhile get a coded error
 * within seconds, subscriptions stay open, and afterwards every change arrives once, in order; health
 * says what happened.
 */
@ResourceLock(StackLocks.OWN)
@Order(2) // early, so that it runs meanwhile
class DatabaseRestartTest {

    private static final int ORDERS_PORT = 18093;
    private static final int GATEWAY_PORT = 14093;
    private static final String DB = "ordergraph_e2e_restart";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CHANGES = """
            subscription($after: String) { orderChanges(after: $after) { action cursor order { id state } } }""";
    private static final String PAGE = "{ orders(first: 5) { edges { node { id state } } } }";

    private final Stack stack = Stack.get();

    @Test
    void whilePostgresIsDownRequestsFailFastWithACodeAndAfterwardsTheStreamGoesOnWithNothingLostOrRepeated() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start()) {
            pg.createDatabase(DB);
            ServiceProcess orders = stack.launchOrdersService(ORDERS_PORT, Map.of(
                    "PGHOST", "127.0.0.1", "PGPORT", String.valueOf(pg.port()), "ORDERS_DB", DB));
            ServiceProcess gateway = null;
            try {
                // The gateway needs no subgraph to start: it starts while orders-service does.
                gateway = stack.startGateway(GATEWAY_PORT, Map.of("ORDERS_URL", "http://127.0.0.1:" + ORDERS_PORT + "/graphql"));
                orders.awaitHealthy(Duration.ofSeconds(180));
                restartUnderLiveSubscription(pg);
            } finally {
                if (gateway != null) {
                    gateway.stop();
                }
                orders.stop();
            }
        }
    }

    private void restartUnderLiveSubscription(PrivatePostgres pg) throws Exception {
        long owner = TestData.user("pgrestart");
        String token = Tokens.viewer(owner);
        URI gatewayUrl = URI.create("http://127.0.0.1:" + GATEWAY_PORT + "/graphql");
        GraphQlClient client = new GraphQlClient(gatewayUrl, token);
        List<String> expected = new ArrayList<>();
        List<JsonNode> received = new ArrayList<>();

        try (GraphQlWsClient live = GraphQlWsClient.subscribe(gatewayUrl, token, CHANGES, Map.of())) {
            awaitOpenUpstream();
            insert(pg, owner, 3, expected);
            received.addAll(live.awaitData(3, WAIT));
            // Committed just before the stop: a fast shutdown still hands them to the walsender, or the
            // engine reads them from its slot afterwards.
            insert(pg, owner, 2, expected);

            pg.stopServer();

            long started = System.nanoTime();
            GraphQlClient.Response page = client.execute(PAGE);
            long pageMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("[pg-restart] query while down answered in " + pageMillis + " ms: " + page);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.errorCodes()).containsExactly("SERVICE_UNAVAILABLE");
            assertThat(page.body()).doesNotContain("127.0.0.1", "Exception", "jdbc");
            assertThat(pageMillis).as("bounded by the pool's 3 s connection timeout, not Hikari's default 30 s").isLessThan(10_000);

            GraphQlClient.Response create = client.execute("mutation { createOrder(input: {state: PAID}) { order { id } errors { field } } }");
            assertThat(create.errorCodes()).containsExactly("SERVICE_UNAVAILABLE");

            started = System.nanoTime();
            GraphQlClient.Response health = new GraphQlClient(URI.create("http://127.0.0.1:" + (ORDERS_PORT + Stack.MANAGEMENT_OFFSET) + "/actuator/health"), null).get();
            System.out.println("[pg-restart] health while down in " + (System.nanoTime() - started) / 1_000_000 + " ms: " + health);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("components").path("db").path("status").asString()).isEqualTo("DOWN");
            assertThat(health.json().path("components").path("changeCapture").path("details").path("connected").asBoolean()).isFalse();

            pg.startServer();
            long back = System.nanoTime();
            try (Connection db = pg.connect(DB); Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("select count(*) from orders")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the refused createOrder wrote nothing").isEqualTo(5);
            }
            insert(pg, owner, 3, expected);
            try (Connection db = pg.connect(DB); Statement sql = db.createStatement()) {
                sql.executeUpdate("update orders set state = 'UNPAID' where user_id = " + owner);
            }
            for (int i = 0; i < 8; i++) {
                expected.add("UPDATED " + expected.get(i).substring("CREATED ".length()));
            }

            received.addAll(live.awaitData(3, WAIT)); // the two committed before the stop, the first after the start
            System.out.println("[pg-restart] server started to its first new change at the client: " + (System.nanoTime() - back) / 1_000_000 + " ms");
            received.addAll(live.awaitData(expected.size() - 6, WAIT));
            live.assertNothingFor(Duration.ofSeconds(1));
        }
        assertThat(received.stream().map(DatabaseRestartTest::describe).toList()).containsExactlyElementsOf(expected);
        assertThat(received.stream().map(e -> e.path("orderChanges").path("cursor").asString()).distinct()).hasSize(expected.size());

        // Queries work again, and health remembers the outage.
        assertThat(client.execute(PAGE).data().path("orders").path("edges")).hasSize(5);
        JsonNode capture = new GraphQlClient(URI.create("http://127.0.0.1:" + (ORDERS_PORT + Stack.MANAGEMENT_OFFSET) + "/actuator/health"), null).get()
                .json().path("components").path("changeCapture");
        System.out.println("[pg-restart] health afterwards: " + capture);
        assertThat(capture.path("status").asString()).isEqualTo("UP");
        assertThat(capture.path("details").path("connectionLosses").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(capture.path("details").path("lastConnectionLostAt").asString()).isNotEmpty();
        assertThat(capture.path("details").path("lastConnectionRestoredAt").asString()).isNotEmpty();

        // A client that read only the first three before the restart resumes with exactly the rest.
        String third = received.get(2).path("orderChanges").path("cursor").asString();
        try (GraphQlWsClient resumed = GraphQlWsClient.subscribe(gatewayUrl, token, CHANGES, Map.of("after", third))) {
            List<String> rest = resumed.awaitData(expected.size() - 3, WAIT).stream().map(DatabaseRestartTest::describe).toList();
            resumed.assertNothingFor(Duration.ofSeconds(1));
            assertThat(rest).containsExactlyElementsOf(expected.subList(3, expected.size()));
        }
    }

    private static void insert(PrivatePostgres pg, long owner, int count, List<String> expected) throws SQLException {
        try (Connection db = pg.connect(DB); Statement sql = db.createStatement()) {
            for (int i = 0; i < count; i++) {
                try (ResultSet rs = sql.executeQuery("insert into orders (state, user_id) values ('PAID', " + owner + ") returning id")) {
                    rs.next();
                    expected.add("CREATED " + TestData.globalId("Order", rs.getLong(1)));
                }
            }
        }
    }

    private static String describe(JsonNode event) {
        JsonNode change = event.path("orderChanges");
        return change.path("action").asString() + " " + change.path("order").path("id").asString();
    }

    /** The gateway has passed the subscription on: orders-service on the private database counts it. */
    private static void awaitOpenUpstream() {
        URI metric = URI.create("http://127.0.0.1:" + (ORDERS_PORT + Stack.MANAGEMENT_OFFSET) + "/actuator/metrics/ordergraph.subscriptions.active");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (new GraphQlClient(metric, null).get().json().path("measurements").get(0).path("value").asDouble() < 1) {
            assertThat(System.nanoTime()).as("subscription open at orders-service").isLessThan(deadline);
            ServiceProcess.sleep(50);
        }
    }
}
