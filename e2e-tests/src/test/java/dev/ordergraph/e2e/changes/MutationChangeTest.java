package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static dev.ordergraph.e2e.support.Subscriptions.CHANGES_LEAN;
import static org.assertj.core.api.Assertions.assertThat;

/** A mutation's writes reach subscribers through the log like any other write: once each, and never when rolled back. */
class MutationChangeTest extends ChangeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void eachMutationArrivesOnceAndARolledBackRequestNotAtAll() {
        long owner = TestData.user("mutcdc");
        GraphQlClient client = gateway(Tokens.viewer(owner));
        try (GraphQlWsClient subscriber = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES_LEAN, Map.of())) {
            awaitSubscribed(1);

            Response rolledBack = client.execute("""
                    mutation($future: Date!) {
                      a: createOrder(input: {state: UNPAID}) { order { id } }
                      b: createOrder(input: {date: $future}) { order { id } errors { field } }
                    }""", Map.of("future", LocalDate.now().plusDays(10).toString()));
            assertThat(rolledBack.data().path("a").path("order").isNull()).as(rolledBack.toString()).isTrue();

            Response created = client.execute("mutation { createOrder(input: {state: UNPAID}) { order { id } } }");
            String id = created.data().path("createOrder").path("order").path("id").asString();
            client.execute("mutation($id: ID!) { updateOrder(input: {id: $id, state: PAID}) { order { id } } }", Map.of("id", id));

            List<JsonNode> events = subscriber.awaitData(2, WAIT);
            assertThat(events).extracting(e -> e.path("orderChanges").path("action").asString()).containsExactly("CREATED", "UPDATED");
            assertThat(events).extracting(e -> e.path("orderChanges").path("order").path("id").asString()).containsOnly(id);
            subscriber.assertNothingFor(Duration.ofSeconds(2));
        }
    }
}
