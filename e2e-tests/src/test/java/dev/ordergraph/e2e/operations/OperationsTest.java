package dev.ordergraph.e2e.operations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import static dev.ordergraph.e2e.support.Prometheus.metric;
import static dev.ordergraph.e2e.support.Prometheus.scrape;
import static org.assertj.core.api.Assertions.assertThat;

/** What operators watch: health of each part and the Prometheus metrics, as a scraper and a probe read them. */
class OperationsTest extends GatewayTest {

    @Test
    void healthShowsTheDatabaseAndTheChangeCapture() {
        JsonNode orders = health(stack.ordersUrl());
        assertThat(orders.path("status").asString()).isEqualTo("UP");
        assertThat(orders.path("components").path("db").path("status").asString()).isEqualTo("UP");
        JsonNode capture = orders.path("components").path("changeCapture");
        assertThat(capture.path("status").asString()).isEqualTo("UP");
        assertThat(capture.path("details").path("engine").asString()).isEqualTo("RUNNING");
        assertThat(capture.path("details").path("slotActive").asBoolean()).isTrue();
        assertThat(capture.path("details").has("slotLagBytes")).as(capture.toString()).isTrue();

        JsonNode users = health(stack.usersUrl());
        assertThat(users.path("status").asString()).isEqualTo("UP");
        assertThat(users.path("components").path("db").path("status").asString()).isEqualTo("UP");

        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            assertThat(new GraphQlClient(Stack.management(stack.ordersUrl()).resolve(probe), null).get().status()).as(probe).isEqualTo(200);
        }
        for (String path : new String[] {"/healthcheck", "/readiness"}) {
            assertThat(new GraphQlClient(stack.gatewayUrl().resolve(path), null).get().status()).as("gateway " + path).isEqualTo(200);
        }
    }

    @Test
    void timingsArePerOperationName() {
        long owner = TestData.user("opsmetrics");
        String token = Tokens.viewer(owner);
        double before = metric(prometheus(stack.ordersUrl()), "graphql_request_seconds_count", "graphql_operation_name=\"OpsOrdersPage\"");

        // Clients (Apollo Client, graphql-ws, the gateway) send the name beside the document, as here.
        String page = "{\"operationName\": \"OpsOrdersPage\", \"query\": \"query OpsOrdersPage { orders(first: 3) { edges { node { id } } } }\"}";
        new GraphQlClient(stack.ordersUrl(), token).post(page);
        new GraphQlClient(stack.ordersUrl(), token).post(page);
        new GraphQlClient(stack.usersUrl(), token).post("{\"operationName\": \"OpsMe\", \"query\": \"query OpsMe { me { username } }\"}");

        assertThat(metric(prometheus(stack.ordersUrl()), "graphql_request_seconds_count", "graphql_operation_name=\"OpsOrdersPage\"", "graphql_outcome=\"SUCCESS\""))
                .isEqualTo(before + 2);
        assertThat(metric(prometheus(stack.usersUrl()), "graphql_request_seconds_count", "graphql_operation_name=\"OpsMe\"")).isPositive();
        assertThat(metric(prometheus(stack.ordersUrl()), "graphql_datafetcher_seconds_count", "graphql_field_name=\"orders\"")).isPositive();
    }

    @Test
    void theGatewayTimesEachOperationAndEachSubgraphCall() {
        long owner = TestData.user("opsgateway");
        gateway(Tokens.viewer(owner)).post("{\"operationName\": \"OpsWithUser\", \"query\": \"query OpsWithUser { getOrders { id } me { username } }\"}");

        URI metrics = stack.gatewayUrl().resolve("/metrics");
        assertThat(metric(metrics, "graphql_yoga_http_duration_count", "operationName=\"OpsWithUser\"")).isPositive();
        assertThat(metric(metrics, "graphql_gateway_subgraph_execute_duration_count", "subgraphName=\"orders\"", "operationName=\"OpsWithUser\"")).isPositive();
        assertThat(metric(metrics, "graphql_gateway_subgraph_execute_duration_count", "subgraphName=\"users\"", "operationName=\"OpsWithUser\"")).isPositive();
    }

    @Test
    void theChangePipelineIsMeasuredFromCommitToSend() {
        long owner = TestData.user("opslag");
        long order = TestData.orders(owner, 1, LocalDate.of(2026, 3, 3), "UNPAID").getFirst();
        int baseline = stack.activeSubscriptions();
        double open = metric(prometheus(stack.ordersUrl()), "ordergraph_subscriptions_active");
        double events = metric(prometheus(stack.ordersUrl()), "ordergraph_changes_events_total");
        double sent = metric(prometheus(stack.ordersUrl()), "ordergraph_changes_send_lag_seconds_count");

        try (GraphQlWsClient subscriber = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner),
                "subscription { orderChanges { action order { id } } }", Map.of())) {
            stack.awaitSubscriptions(baseline + 1);
            assertThat(metric(prometheus(stack.ordersUrl()), "ordergraph_subscriptions_active")).isGreaterThanOrEqualTo(open + 1);
            Sql.orders("update orders set state = 'PAID' where id = " + order);
            assertThat(subscriber.awaitData(1, Duration.ofSeconds(20))).hasSize(1);
        }

        assertThat(metric(prometheus(stack.ordersUrl()), "ordergraph_changes_events_total")).isGreaterThanOrEqualTo(events + 1);
        assertThat(metric(prometheus(stack.ordersUrl()), "ordergraph_changes_send_lag_seconds_count")).isGreaterThanOrEqualTo(sent + 1);
        assertThat(metric(prometheus(stack.ordersUrl()), "ordergraph_changes_lag_seconds_count")).isPositive();
        // Gauges that may well read 0: what counts is that the scraper finds them.
        assertThat(scrape(prometheus(stack.ordersUrl())).lines())
                .anyMatch(line -> line.startsWith("ordergraph_cdc_slot_retained_bytes "))
                .anyMatch(line -> line.startsWith("ordergraph_cdc_slot_lag_bytes "));
    }

    private static JsonNode health(URI graphqlUrl) {
        GraphQlClient.Response response = new GraphQlClient(Stack.management(graphqlUrl).resolve("/actuator/health"), null).get();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static URI prometheus(URI subgraphUrl) {
        return Stack.management(subgraphUrl).resolve("/actuator/prometheus");
    }
}
