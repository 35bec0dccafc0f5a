package dev.ordergraph.e2e.tracing;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.ScaledStack;
import dev.ordergraph.e2e.support.StackLocks;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import dev.ordergraph.e2e.support.Zipkin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.ordergraph.e2e.support.Mutations.CREATE_ORDER;
import static dev.ordergraph.e2e.support.Mutations.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale-out mode, traced into a real Zipkin server: a mutation's change is published to the changes
 * topic by the leader (the record's {@code traceparent} header carries the publish span), received by
 * every replica, and delivered by the subscriber's replica and gateway, all in the mutation's trace.
 */
@ResourceLock(StackLocks.OWN)
class KafkaTracingTest {

    private static final int ZIPKIN_PORT = 19413;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHANGES = """
            subscription { orderChangeBatches { changes { action order { id } } } }""";

    private static Zipkin zipkin;
    private static ScaledStack scaled;

    @BeforeAll
    static void start() {
        zipkin = Zipkin.start(ZIPKIN_PORT);
        scaled = ScaledStack.start(zipkin.exportHere(), zipkin.exportHere());
    }

    @AfterAll
    static void stop() {
        try {
            if (scaled != null) {
                scaled.stop();
            }
        } finally {
            if (zipkin != null) {
                zipkin.close();
            }
        }
    }

    @Test
    void aMutationsChangeIsTracedThroughTheTopicToTheSubscriberOnAnotherReplica() {
        long owner = TestData.user("kafkatraced");
        String token = Tokens.viewer(owner);
        try (GraphQlWsClient subscriber = GraphQlWsClient.subscribe(scaled.gateway(1), token, CHANGES, Map.of())) {
            TracingTest.awaitOpenUpstream(scaled.replicaUrl(1), WAIT);
            String traceId = TracingTest.randomHex(32);
            GraphQlClient.Response created = new GraphQlClient(scaled.gateway(0), token)
                    .withHeader("traceparent", "00-" + traceId + "-" + TracingTest.randomHex(16) + "-01")
                    .execute(CREATE_ORDER, input("clientMutationId", "k-traced"));
            assertThat(created.errors()).as(created.body()).isEmpty();
            String orderId = created.data().path("createOrder").path("order").path("id").asString();
            JsonNode event = subscriber.awaitData(1, WAIT).getFirst();
            assertThat(event.path("orderChangeBatches").path("changes").get(0).path("order").path("id").asString()).isEqualTo(orderId);

            List<Zipkin.Span> spans = zipkin.awaitTrace(traceId, trace -> TracingTest.count(trace, "order-change receive") >= 2
                    && TracingTest.count(trace, "order-change event") >= 1, WAIT);
            Map<String, Zipkin.Span> byId = spans.stream().collect(Collectors.toMap(Zipkin.Span::id, s -> s, (a, b) -> a));
            Zipkin.Span publish = TracingTest.only(spans, "order-change publish");
            assertThat(publish.kind()).isEqualTo("PRODUCER");
            assertThat(byId.get(publish.parentId()).service()).as("the mutation's span").isEqualTo("orders-service");
            // Both replicas read it from the topic, continuing the context in the record's header.
            List<Zipkin.Span> receives = spans.stream().filter(s -> s.name().equals("order-change receive")).toList();
            assertThat(receives).hasSize(2).allSatisfy(receive -> assertThat(receive.parentId()).isEqualTo(publish.id()));
            Zipkin.Span deliver = TracingTest.only(spans, "order-change deliver");
            assertThat(receives).extracting(Zipkin.Span::id).contains(deliver.parentId());
            Zipkin.Span gatewayEvent = TracingTest.only(spans, "order-change event");
            assertThat(gatewayEvent.service()).isEqualTo("gateway");
            assertThat(gatewayEvent.parentId()).isEqualTo(deliver.id());
        }
    }
}
