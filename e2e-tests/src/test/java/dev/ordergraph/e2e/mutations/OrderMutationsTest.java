package dev.ordergraph.e2e.mutations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.List;

import static dev.ordergraph.e2e.mutations.Mutations.CREATE_ORDER;
import static dev.ordergraph.e2e.mutations.Mutations.DELETE_ORDER;
import static dev.ordergraph.e2e.mutations.Mutations.UPDATE_ORDER;
import static dev.ordergraph.e2e.mutations.Mutations.databaseId;
import static dev.ordergraph.e2e.mutations.Mutations.fieldErrors;
import static dev.ordergraph.e2e.mutations.Mutations.orderRow;
import static dev.ordergraph.e2e.mutations.Mutations.ordersOf;
import static dev.ordergraph.e2e.mutations.UserMutationsTest.input;
import static org.assertj.core.api.Assertions.assertThat;

/** createOrder, updateOrder and deleteOrder through the gateway: owner or staff only, partial updates, typed IDs. */
class OrderMutationsTest extends GatewayTest {

    private final long owner = TestData.user("buyer");
    private final GraphQlClient client = gateway(Tokens.viewer(owner));

    @Test
    void createOrderPlacesAnOrderForTheViewerWithTheTablesDefaults() {
        Response response = client.execute(CREATE_ORDER, input("clientMutationId", "o-1"));

        JsonNode payload = response.data().path("createOrder");
        assertThat(payload.path("errors").size()).as(response.toString()).isZero();
        assertThat(payload.path("clientMutationId").asString()).isEqualTo("o-1");
        JsonNode order = payload.path("order");
        assertThat(order.path("state").asString()).isEqualTo("UNPAID");
        assertThat(order.path("user").path("username").asString()).as("resolved by the users subgraph").isEqualTo(TestData.username(owner));
        assertThat(orderRow(databaseId(order.path("id").asString())))
                .isEqualTo(order.path("date").asString() + "|UNPAID|" + owner);
    }

    @Test
    void onlyStaffMayPlaceAnOrderForAnotherUser() {
        long other = TestData.user("recipient");

        Response refused = client.execute(CREATE_ORDER, input("userId", TestData.globalId("User", other)));
        Response byStaff = gateway(Tokens.staff(TestData.user("orderstaff")))
                .execute(CREATE_ORDER, input("userId", TestData.globalId("User", other), "state", "PAID", "date", "2026-01-02"));

        assertThat(refused.errorCodes()).as(refused.toString()).containsExactly("FORBIDDEN");
        assertThat(byStaff.data().path("createOrder").path("errors").size()).as(byStaff.toString()).isZero();
        assertThat(ordersOf(other)).isEqualTo(1);
        long id = databaseId(byStaff.data().path("createOrder").path("order").path("id").asString());
        assertThat(orderRow(id)).isEqualTo("2026-01-02|PAID|" + other);
    }

    @Test
    void updateOrderChangesOnlyTheGivenFields() {
        long id = TestData.orders(owner, 1, LocalDate.of(2026, 3, 4), "UNPAID").getFirst();

        Response response = client.execute(UPDATE_ORDER, input("id", TestData.globalId("Order", id), "state", "PAID"));

        assertThat(response.data().path("updateOrder").path("errors").size()).as(response.toString()).isZero();
        assertThat(response.data().path("updateOrder").path("order").path("state").asString()).isEqualTo("PAID");
        assertThat(orderRow(id)).isEqualTo("2026-03-04|PAID|" + owner);

        Response nulled = client.execute(UPDATE_ORDER, input("id", TestData.globalId("Order", id), "date", null));
        assertThat(fieldErrors(nulled.data().path("updateOrder"))).as(nulled.toString()).containsOnlyKeys("date");
        assertThat(orderRow(id)).isEqualTo("2026-03-04|PAID|" + owner);
    }

    @Test
    void othersMayNeitherChangeNorDeleteAnOrderAndNothingIsWritten() {
        long id = TestData.orders(owner, 1, LocalDate.of(2026, 3, 5), "UNPAID").getFirst();
        GraphQlClient stranger = gateway(Tokens.viewer(TestData.user("stranger")));

        Response update = stranger.execute(UPDATE_ORDER, input("id", TestData.globalId("Order", id), "state", "PAID"));
        Response delete = stranger.execute(DELETE_ORDER, input("id", TestData.globalId("Order", id)));
        Response giveAway = client.execute(UPDATE_ORDER, input("id", TestData.globalId("Order", id), "userId", TestData.globalId("User", TestData.user("gift"))));

        assertThat(update.errorCodes()).as(update.toString()).containsExactly("FORBIDDEN");
        assertThat(delete.errorCodes()).as(delete.toString()).containsExactly("FORBIDDEN");
        assertThat(giveAway.errorCodes()).as("only staff move orders: " + giveAway).containsExactly("FORBIDDEN");
        assertThat(orderRow(id)).isEqualTo("2026-03-05|UNPAID|" + owner);
    }

    @Test
    void theOwnerDeletesAnOrderAndGetsItsLastImage() {
        long id = TestData.orders(owner, 1, LocalDate.of(2026, 3, 6), "PAID").getFirst();

        Response response = client.execute(DELETE_ORDER, input("id", TestData.globalId("Order", id), "clientMutationId", "d"));

        JsonNode payload = response.data().path("deleteOrder");
        assertThat(payload.path("errors").size()).as(response.toString()).isZero();
        assertThat(payload.path("deletedOrderId").asString()).isEqualTo(TestData.globalId("Order", id));
        assertThat(payload.path("order").path("state").asString()).isEqualTo("PAID");
        assertThat(payload.path("clientMutationId").asString()).isEqualTo("d");
        assertThat(orderRow(id)).isNull();
    }

    @Test
    void wrongTypeIdsMissingOrdersAndFutureDatesAreFieldErrors() {
        long id = TestData.orders(owner, 1, LocalDate.of(2026, 3, 7), "UNPAID").getFirst();

        Response userIdAsOrder = client.execute(UPDATE_ORDER, input("id", TestData.globalId("User", owner), "state", "PAID"));
        Response orderIdAsUser = client.execute(CREATE_ORDER, input("userId", TestData.globalId("Order", id)));
        Response missing = client.execute(DELETE_ORDER, input("id", TestData.globalId("Order", Long.MAX_VALUE / 2)));
        Response future = client.execute(CREATE_ORDER, input("date", LocalDate.now().plusYears(1).toString()));

        assertThat(fieldErrors(userIdAsOrder.data().path("updateOrder"))).as(userIdAsOrder.toString()).containsOnlyKeys("id");
        assertThat(fieldErrors(orderIdAsUser.data().path("createOrder"))).as(orderIdAsUser.toString()).containsOnlyKeys("userId");
        assertThat(fieldErrors(missing.data().path("deleteOrder"))).as(missing.toString()).containsOnlyKeys("id");
        assertThat(fieldErrors(future.data().path("createOrder"))).as(future.toString()).containsOnlyKeys("date");
        for (Response response : List.of(userIdAsOrder, orderIdAsUser, missing, future)) {
            assertThat(response.errors().size()).isZero();
        }
        assertThat(orderRow(id)).isEqualTo("2026-03-07|UNPAID|" + owner);
        assertThat(ordersOf(owner)).isEqualTo(1);
    }
}
