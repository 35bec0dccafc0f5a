package dev.ordergraph.e2e.tracing;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.SseClient;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.StackLocks;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import dev.ordergraph.e2e.support.Zipkin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static dev.ordergraph.e2e.support.Mutations.CREATE_ORDER;
import static dev.ordergraph.e2e.support.Mutations.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces through a gateway and both services that export to a real Zipkin server: a query is one trace
 * across the three processes, under the client's own {@code traceparent}; a mutation's change is followed
 * from its commit to each subscriber in the mutation's trace. The services here have a database and slot of
 * their own (the shared stack runs untraced).
 */
@ResourceLock(StackLocks.OWN)
class TracingTest {

    private static final int ZIPKIN_PORT = 19411;
    private static final int USERS_PORT = 18186;
    private static final int ORDERS_PORT = 18187;
    private static final int GATEWAY_PORT = 14087;
    private static final String DB = "ordergraph_e2e_traced";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHANGES = """
            subscription { orderChangeBatches { changes { action order { id state user { username } } } } }""";

    private static final Stack stack = Stack.get();
    private static Zipkin zipkin;
    private static ServiceProcess users;
    private static ServiceProcess orders;
    private static ServiceProcess gateway;
    private static final URI url = URI.create("http://127.0.0.1:" + GATEWAY_PORT + "/graphql");

    @BeforeAll
    static void start() throws Exception {
        zipkin = Zipkin.start(ZIPKIN_PORT);
        Stack.dropReplicationSlot(DB);
        Stack.admin("drop database if exists " + DB + " with (force)");
        Stack.admin("create database " + DB);
        String usersUrl = "http://127.0.0.1:" + USERS_PORT + "/graphql";
        users = stack.startUsersService(USERS_PORT, zipkin.exportHere());
        Map<String, String> ordersEnv = new HashMap<>(zipkin.exportHere());
        ordersEnv.putAll(Map.of("ORDERS_DB", DB, "USERS_URL", usersUrl,
                "ORDERGRAPH_CDC_SLOTNAME", DB, "ORDERGRAPH_CDC_PUBLICATIONNAME", DB));
        orders = stack.startOrdersService(ORDERS_PORT, ordersEnv);
        Map<String, String> gatewayEnv = new HashMap<>(zipkin.exportHere());
        gatewayEnv.putAll(Map.of("USERS_URL", usersUrl, "ORDERS_URL", "http://127.0.0.1:" + ORDERS_PORT + "/graphql"));
        gateway = stack.startGateway(GATEWAY_PORT, gatewayEnv);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess process : new ServiceProcess[] {gateway, orders, users}) {
            if (process != null) {
                process.stop();
            }
        }
        try {
            Stack.dropReplicationSlot(DB);
            Stack.admin("drop database if exists " + DB + " with (force)");
        } finally {
            if (zipkin != null) {
                zipkin.close();
            }
        }
    }

    @Test
    void aQueryIsOneTraceAcrossTheGatewayAndBothServicesUnderTheClientsTraceparent() {
        long owner = TestData.user("traced");
        String traceId = randomHex(32);
        String clientSpan = randomHex(16);
        GraphQlClient client = new GraphQlClient(url, Tokens.viewer(owner)).withHeader("traceparent", "00-" + traceId + "-" + clientSpan + "-01");
        GraphQlClient.Response created = client.execute(CREATE_ORDER, input("clientMutationId", "q-1"));
        assertThat(created.errors()).as(created.body()).isEmpty();

        GraphQlClient.Response page = new GraphQlClient(url, Tokens.viewer(owner))
                .withHeader("traceparent", "00-" + traceId.substring(0, 31) + "f-" + clientSpan + "-01")
                .execute("{ orders(first: 5) { edges { node { id user { username } } } } }");
        assertThat(page.errors()).as(page.body()).isEmpty();
        String queryTrace = traceId.substring(0, 31) + "f";

        // Complete once every process's spans are in: each exports in batches, a server span (it ends last) often
        // in the batch after its children. Then one root, the gateway's request span, whose parent is the
        // client's span; every other span's parent is in the trace.
        List<Zipkin.Span> spans = zipkin.awaitTrace(queryTrace, trace -> services(trace).containsAll(
                Set.of("gateway", "orders-service", "users-service")) && trace.stream().anyMatch(TracingTest::sql)
                && roots(trace).size() == 1, WAIT);
        Map<String, Zipkin.Span> byId = spans.stream().collect(Collectors.toMap(Zipkin.Span::id, s -> s, (a, b) -> a));
        List<Zipkin.Span> roots = roots(spans);
        assertThat(roots.getFirst().parentId()).isEqualTo(clientSpan);
        assertThat(roots.getFirst().service()).isEqualTo("gateway");
        // Each service's server span hangs off a gateway span (its call to the subgraph).
        for (String service : List.of("orders-service", "users-service")) {
            Zipkin.Span server = spans.stream().filter(s -> s.service().equals(service) && "SERVER".equals(s.kind())).findFirst()
                    .orElseThrow(() -> new AssertionError("no server span of " + service + " in " + spans));
            assertThat(byId.get(server.parentId()).service()).as(service + "'s caller").isEqualTo("gateway");
        }
        // The SQL statements are spans of the services, under their requests.
        assertThat(spans.stream().filter(TracingTest::sql).map(Zipkin.Span::service)).contains("orders-service", "users-service");
    }

    @Test
    void aMutationsChangeReachesEachSubscriberInTheMutationsTrace() throws Exception {
        long owner = TestData.user("traced");
        String token = Tokens.viewer(owner);
        try (GraphQlWsClient first = GraphQlWsClient.subscribe(url, token, CHANGES, Map.of());
             GraphQlWsClient second = GraphQlWsClient.subscribe(url, token, CHANGES, Map.of())) {
            awaitOpenUpstream(URI.create("http://127.0.0.1:" + ORDERS_PORT + "/graphql"), WAIT);
            ServiceProcess.sleep(300); // both clients on the shared stream
            String traceId = randomHex(32);
            String clientSpan = randomHex(16);
            GraphQlClient.Response created = new GraphQlClient(url, token)
                    .withHeader("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                    .execute(CREATE_ORDER, input("clientMutationId", "m-traced"));
            assertThat(created.errors()).as(created.body()).isEmpty();
            String orderId = created.data().path("createOrder").path("order").path("id").asString();
            for (GraphQlWsClient subscriber : List.of(first, second)) {
                JsonNode event = subscriber.awaitData(1, WAIT).getFirst();
                assertThat(event.path("orderChangeBatches").path("changes").get(0).path("order").path("id").asString()).isEqualTo(orderId);
            }

            List<Zipkin.Span> spans = zipkin.awaitTrace(traceId,
                    trace -> count(trace, "order-change send") >= 2 && count(trace, "order-change deliver") >= 1, WAIT);
            Map<String, Zipkin.Span> byId = spans.stream().collect(Collectors.toMap(Zipkin.Span::id, s -> s, (a, b) -> a));
            Zipkin.Span capture = only(spans, "order-change capture");
            assertThat(capture.service()).isEqualTo("orders-service");
            assertThat(capture.tags().path("ordergraph.origin").asString()).isEqualTo("api");
            assertThat(capture.tags().path("ordergraph.changes").asString()).isEqualTo("1");
            // The capture continues the mutation's own span (its origin mark carried the context).
            assertThat(byId.get(capture.parentId()).service()).isEqualTo("orders-service");
            Zipkin.Span deliver = only(spans, "order-change deliver");
            assertThat(deliver.parentId()).isEqualTo(capture.id());
            Zipkin.Span event = only(spans, "order-change event");
            assertThat(event.service()).isEqualTo("gateway");
            assertThat(event.parentId()).isEqualTo(deliver.id());
            List<Zipkin.Span> sends = spans.stream().filter(s -> s.name().equals("order-change send")).toList();
            assertThat(sends).hasSize(2).allSatisfy(send -> assertThat(send.parentId()).isEqualTo(event.id()));

            // The feed's own write of the change (its replay window) is no trace of its own: SQL statements
            // are spans only inside a request. The control is a second traced mutation: once its capture is
            // in Zipkin, so is every span orders-service ended before it (one exporter, in order).
            String later = randomHex(32);
            GraphQlClient.Response again = new GraphQlClient(url, token)
                    .withHeader("traceparent", "00-" + later + "-" + randomHex(16) + "-01")
                    .execute(CREATE_ORDER, input("clientMutationId", "m-traced-2"));
            assertThat(again.errors()).as(again.body()).isEmpty();
            zipkin.awaitTrace(later, trace -> count(trace, "order-change capture") == 1, WAIT);
            assertThat(zipkin.spans("orders-service", "query")).as("orders-service's SQL spans")
                    .isNotEmpty().allSatisfy(query -> assertThat(query.parentId()).as("%s under a request", query).isNotNull());
        }
    }

    @Test
    void aSubscriptionOverSseContinuesTheClientsTraceThroughTheSharedWebSocketToOrdersService() {
        long owner = TestData.user("traced");
        String traceId = randomHex(32);
        String clientSpan = randomHex(16);
        try (SseClient subscriber = SseClient.subscribe(url, Tokens.viewer(owner), "subscription { orderChanges { action } }", Map.of(),
                Map.of("traceparent", "00-" + traceId + "-" + clientSpan + "-01"))) {
            assertThat(subscriber.status()).isEqualTo(200);
            List<Zipkin.Span> spans = zipkin.awaitTrace(traceId, trace -> count(trace, "graphql.websocket.operation") == 1, WAIT);
            Map<String, Zipkin.Span> byId = spans.stream().collect(Collectors.toMap(Zipkin.Span::id, s -> s, (a, b) -> a));
            // The subscribe message carried the gateway's context in its extensions; orders-service went on from it.
            Zipkin.Span start = only(spans, "graphql.websocket.operation");
            assertThat(start.service()).isEqualTo("orders-service");
            assertThat(byId.get(start.parentId()).name()).isEqualTo("subgraph.execute (orders)");
        }
    }

    /** Waits until the orders-service at {@code ordersUrl} counts an open subscription (the gateway passed one on). */
    static void awaitOpenUpstream(URI ordersUrl, Duration timeout) {
        URI metric = Stack.management(ordersUrl).resolve("/actuator/metrics/ordergraph.subscriptions.active");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (new GraphQlClient(metric, null).get().json().path("measurements").get(0).path("value").asDouble() < 1) {
            assertThat(System.nanoTime()).as("subscription open at orders-service").isLessThan(deadline);
            ServiceProcess.sleep(50);
        }
    }

    /** A JDBC statement's span (datasource-micrometer's {@code query}, its SQL in a tag). */
    private static boolean sql(Zipkin.Span span) {
        return span.name().equals("query") || span.tags().toString().toLowerCase().contains("select");
    }

    /** The spans whose parent is not in {@code spans}. */
    private static List<Zipkin.Span> roots(List<Zipkin.Span> spans) {
        Set<String> ids = spans.stream().map(Zipkin.Span::id).collect(Collectors.toSet());
        return spans.stream().filter(s -> !ids.contains(s.parentId())).toList();
    }

    private static Set<String> services(List<Zipkin.Span> spans) {
        return spans.stream().map(Zipkin.Span::service).collect(Collectors.toSet());
    }

    static long count(List<Zipkin.Span> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).count();
    }

    static Zipkin.Span only(List<Zipkin.Span> spans, String name) {
        List<Zipkin.Span> named = spans.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as(name + " in " + spans).hasSize(1);
        return named.getFirst();
    }

    static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < digits) {
            hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        }
        return hex.substring(0, digits);
    }

}
