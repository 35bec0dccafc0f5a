package dev.ordergraph.client;

import dev.ordergraph.client.FakeGateway.Request;
import dev.ordergraph.client.generated.types.Order;
import dev.ordergraph.client.generated.types.OrderConnection;
import dev.ordergraph.client.generated.types.OrderEdge;
import dev.ordergraph.client.generated.types.OrderFilter;
import dev.ordergraph.client.generated.types.OrderState;
import dev.ordergraph.client.generated.types.UpdateOrderPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queries and mutations: over HTTP POST, with the supplier's token, answers read as the generated types. */
class OrderGraphClientRequestsTest {

    private static final String TOKEN = Jwts.withClaims("{\"sub\":\"7\",\"exp\":4102444800}");

    private final FakeGateway gateway = FakeGateway.start();
    private final OrderGraphClient client = OrderGraphClient.connect(gateway.graphqlUrl(), TOKEN);

    @AfterEach
    void close() {
        client.close();
        gateway.close();
    }

    @Test
    void aPageOfOrdersComesBackAsTheGeneratedTypes() throws InterruptedException {
        gateway.answerHttp(request -> Recorded.text("orders.json"));

        OrderConnection page = client.orders(2, "b3JkZXJzfDIwMjYtMDUtMDR8NDQ",
                OrderFilter.newBuilder().state(OrderState.UNPAID).dateFrom(LocalDate.of(2026, 5, 1)).build());

        assertThat(page.getEdges()).extracting(OrderEdge::getCursor)
                .containsExactly("b3JkZXJzfDIwMjYtMDUtMDN8NDM", "b3JkZXJzfDIwMjYtMDUtMDJ8NDI");
        Order newest = page.getEdges().getFirst().getNode();
        assertThat(newest.getId()).isEqualTo("T3JkZXI6NDM=");
        assertThat(newest.getDate()).isEqualTo(LocalDate.of(2026, 5, 3));
        assertThat(newest.getState()).isEqualTo(OrderState.UNPAID);
        assertThat(newest.getUser().getUsername()).isEqualTo("caty88");
        assertThat(page.getEdges().get(1).getNode().getState()).isEqualTo(OrderState.PAID);
        assertThat(page.getPageInfo().getHasNextPage()).isTrue();
        assertThat(page.getPageInfo().getEndCursor()).isEqualTo("b3JkZXJzfDIwMjYtMDUtMDJ8NDI");

        Request sent = gateway.takeHttpRequest();
        assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.field()).isEqualTo("orders");
        assertThat(sent.argument("first")).isEqualTo(2);
        assertThat(sent.argument("after")).isEqualTo("b3JkZXJzfDIwMjYtMDUtMDR8NDQ");
        // The Date scalar is written as the schema's ISO date.
        assertThat(sent.argument("filter")).isEqualTo(Map.of("state", "UNPAID", "dateFrom", "2026-05-01"));
    }

    @Test
    void theSupplierIsAskedForATokenBeforeEveryRequest() throws InterruptedException {
        AtomicInteger asked = new AtomicInteger();
        gateway.answerHttp(request -> Recorded.text("changesCursor.json"));
        try (OrderGraphClient renewing = OrderGraphClient.connect(gateway.graphqlUrl(), () -> "token-" + asked.incrementAndGet())) {
            renewing.changesCursor();
            renewing.changesCursor();
        }

        assertThat(gateway.takeHttpRequest().token()).isEqualTo("token-1");
        assertThat(gateway.takeHttpRequest().token()).isEqualTo("token-2");
    }

    @Test
    void theChangesCursorIsAStringAndNullBeforeTheFirstChange() throws InterruptedException {
        gateway.answerHttp(request -> Recorded.text("changesCursor.json"));
        assertThat(client.changesCursor()).isEqualTo("lle37ysa5BGe59ljq4HvfPgUAr9vgt5pKjfEQl64r3T5QZuSZFH0VQMlWTVLxAkL");
        assertThat(gateway.takeHttpRequest().field()).isEqualTo("changesCursor");

        gateway.answerHttp(request -> Recorded.text("changesCursor-before-first-change.json"));
        assertThat(client.changesCursor()).isNull();
    }

    @Test
    void anErrorOfTheGatewayIsAnOrderGraphExceptionWithItsCode() {
        gateway.answerHttp(request -> Recorded.text("unauthenticated.json")); // no data at all

        assertThatThrownBy(() -> client.orders(5, null, null)).isInstanceOfSatisfying(OrderGraphException.class, e -> {
            assertThat(e.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(e.getMessage()).isEqualTo("The token is invalid or expired; sign in again.");
            assertThat(e.errors()).hasSize(1);
        });
    }

    @Test
    void anErrorOfASubgraphOnTheFieldIsAnOrderGraphExceptionWithItsCode() {
        gateway.answerHttp(request -> Recorded.text("orders-page-too-large.json")); // data: null, the error on `orders`

        assertThatThrownBy(() -> client.orders(500, null, null)).isInstanceOfSatisfying(OrderGraphException.class, e -> {
            assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
            assertThat(e.getMessage()).isEqualTo("'first' must be between 0 and 100, was 500.");
            assertThat(e.errors().getFirst().getPath()).isEqualTo("orders");
        });
    }

    @Test
    void updateOrderStateSendsTheInputAndReturnsTheSavedOrder() throws InterruptedException {
        gateway.answerHttp(request -> Recorded.text("updateOrder.json"));

        UpdateOrderPayload saved = client.updateOrderState("T3JkZXI6NDM=", OrderState.PAID, "orders-example");

        assertThat(saved.getErrors()).isEmpty();
        assertThat(saved.getOrder().getId()).isEqualTo("T3JkZXI6NDM=");
        assertThat(saved.getOrder().getState()).isEqualTo(OrderState.PAID);
        assertThat(saved.getClientMutationId()).isEqualTo("orders-example");
        Request sent = gateway.takeHttpRequest();
        assertThat(sent.query()).startsWith("mutation");
        assertThat(sent.field()).isEqualTo("updateOrder");
        assertThat(sent.argument("input")).isEqualTo(Map.of("id", "T3JkZXI6NDM=", "state", "PAID", "clientMutationId", "orders-example"));
    }

    @Test
    void invalidInputComesBackAsFieldErrorsNotAsAnException() {
        gateway.answerHttp(request -> Recorded.text("updateOrder-field-errors.json"));

        UpdateOrderPayload refused = client.updateOrderState("VXNlcjo3", OrderState.PAID, null);

        assertThat(refused.getOrder()).isNull();
        assertThat(refused.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getField()).isEqualTo("id");
            assertThat(error.getMessages()).containsExactly("Expected the global ID of an Order, got the ID of a User.");
        });
    }

    @Test
    void aMutationRefusedWithAGraphQlErrorIsAnOrderGraphException() {
        gateway.answerHttp(request -> Recorded.text("updateOrder-forbidden.json")); // a null payload and the error

        assertThatThrownBy(() -> client.updateOrderState("T3JkZXI6MQ==", OrderState.PAID, null))
                .isInstanceOfSatisfying(OrderGraphException.class, e -> assertThat(e.code()).isEqualTo("FORBIDDEN"));
    }

    @Test
    void aSupplierWithoutATokenFailsTheRequest() {
        gateway.answerHttp(request -> Recorded.text("orders.json"));
        try (OrderGraphClient tokenless = OrderGraphClient.connect(gateway.graphqlUrl(), () -> " ")) {
            assertThatThrownBy(() -> tokenless.orders(5, null, null))
                    .isInstanceOf(IllegalStateException.class).hasMessage("The token supplier returned no token");
        }
    }
}
