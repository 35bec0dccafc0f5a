package dev.ordergraph.orders.order;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.orders.OrdersSliceTest;
import dev.ordergraph.orders.user.UsersStub;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.testing.GraphQl;
import graphql.ExecutionResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ordergraph.platform.testing.GraphQl.errorCodes;
import static dev.ordergraph.platform.testing.GraphQl.fieldErrors;
import static dev.ordergraph.platform.testing.GraphQl.input;
import static org.assertj.core.api.Assertions.assertThat;

/** createOrder, updateOrder and deleteOrder: owner or staff only, partial updates, typed IDs, all fields of a request or none. */
@OrdersSliceTest
class OrderMutationsTest {

    private static final String SECRET = "orders-slice-test-secret-0123456789abcdef";
    private static final long STAFF = 1;
    private static final long OWNER = 2;
    private static final long OTHER = 3;
    private static final UsersStub USERS = start();

    private static final String ERRORS = "errors { field messages } clientMutationId";
    private static final String CREATE_ORDER = """
            mutation($input: CreateOrderInput!) {
              createOrder(input: $input) { order { id date state user { id } } %s }
            }""".formatted(ERRORS);
    private static final String UPDATE_ORDER = """
            mutation($input: UpdateOrderInput!) {
              updateOrder(input: $input) { order { id date state user { id } } %s }
            }""".formatted(ERRORS);
    private static final String DELETE_ORDER = """
            mutation($input: DeleteOrderInput!) {
              deleteOrder(input: $input) { order { id state } deletedOrderId %s }
            }""".formatted(ERRORS);

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    JdbcClient jdbc;

    private GraphQl graphQl;

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        registry.add("ordergraph.users.url", USERS::url);
        registry.add("ordergraph.gateway.hmac-secret", () -> SECRET);
    }

    @AfterAll
    static void stopUsers() {
        USERS.close();
    }

    @BeforeEach
    void noOrders() {
        graphQl = new GraphQl(executor);
        jdbc.sql("truncate orders restart identity").update();
    }

    @Test
    void createOrderPlacesAnOrderForTheViewerWithTheTablesDefaults() {
        Map<String, Object> payload = payload(graphQl.execute(CREATE_ORDER, OWNER, false, input("clientMutationId", "o-1")), "createOrder");

        assertThat(payload.get("errors")).isEqualTo(List.of());
        assertThat(payload.get("clientMutationId")).isEqualTo("o-1");
        Map<String, Object> order = map(payload.get("order"));
        assertThat(order.get("state")).isEqualTo("UNPAID");
        assertThat(order.get("user")).isEqualTo(Map.of("id", GlobalId.encode("User", OWNER)));
        assertThat(row(databaseId(order.get("id")))).isEqualTo(order.get("date") + "|UNPAID|" + OWNER);
    }

    @Test
    void onlyStaffMayPlaceAnOrderForAnotherUser() {
        ExecutionResult refused = graphQl.execute(CREATE_ORDER, OWNER, false, input("userId", GlobalId.encode("User", OTHER)));
        Map<String, Object> byStaff = payload(graphQl.execute(CREATE_ORDER, STAFF, true,
                input("userId", GlobalId.encode("User", OTHER), "state", "PAID", "date", "2026-01-02")), "createOrder");

        assertThat(errorCodes(refused)).containsExactly("FORBIDDEN");
        assertThat(byStaff.get("errors")).isEqualTo(List.of());
        assertThat(ordersOf(OTHER)).isEqualTo(1);
        assertThat(row(databaseId(map(byStaff.get("order")).get("id")))).isEqualTo("2026-01-02|PAID|" + OTHER);
    }

    @Test
    void updateOrderChangesOnlyTheGivenFields() {
        long id = insert(OWNER, "2026-03-04", "UNPAID");

        Map<String, Object> paid = payload(graphQl.execute(UPDATE_ORDER, OWNER, false, input("id", GlobalId.encode("Order", id), "state", "PAID")), "updateOrder");
        assertThat(paid.get("errors")).isEqualTo(List.of());
        assertThat(map(paid.get("order")).get("state")).isEqualTo("PAID");
        assertThat(row(id)).isEqualTo("2026-03-04|PAID|" + OWNER);

        Map<String, Object> nulled = payload(graphQl.execute(UPDATE_ORDER, OWNER, false, input("id", GlobalId.encode("Order", id), "date", null)), "updateOrder");
        assertThat(fieldErrors(nulled)).containsOnlyKeys("date");
        assertThat(row(id)).isEqualTo("2026-03-04|PAID|" + OWNER);
    }

    @Test
    void othersMayNeitherChangeNorDeleteAnOrderAndNothingIsWritten() {
        long id = insert(OWNER, "2026-03-05", "UNPAID");

        ExecutionResult update = graphQl.execute(UPDATE_ORDER, OTHER, false, input("id", GlobalId.encode("Order", id), "state", "PAID"));
        ExecutionResult delete = graphQl.execute(DELETE_ORDER, OTHER, false, input("id", GlobalId.encode("Order", id)));
        ExecutionResult giveAway = graphQl.execute(UPDATE_ORDER, OWNER, false,
                input("id", GlobalId.encode("Order", id), "userId", GlobalId.encode("User", OTHER)));

        assertThat(errorCodes(update)).containsExactly("FORBIDDEN");
        assertThat(errorCodes(delete)).containsExactly("FORBIDDEN");
        assertThat(errorCodes(giveAway)).as("only staff move orders").containsExactly("FORBIDDEN");
        assertThat(row(id)).isEqualTo("2026-03-05|UNPAID|" + OWNER);
    }

    @Test
    void theOwnerDeletesAnOrderAndGetsItsLastImage() {
        long id = insert(OWNER, "2026-03-06", "PAID");

        Map<String, Object> payload = payload(graphQl.execute(DELETE_ORDER, OWNER, false,
                input("id", GlobalId.encode("Order", id), "clientMutationId", "d")), "deleteOrder");

        assertThat(payload.get("errors")).isEqualTo(List.of());
        assertThat(payload.get("deletedOrderId")).isEqualTo(GlobalId.encode("Order", id));
        assertThat(map(payload.get("order")).get("state")).isEqualTo("PAID");
        assertThat(payload.get("clientMutationId")).isEqualTo("d");
        assertThat(row(id)).isNull();
    }

    @Test
    void wrongTypeIdsMissingOrdersAndFutureDatesAreFieldErrors() {
        long id = insert(OWNER, "2026-03-07", "UNPAID");

        Map<String, Object> userIdAsOrder = payload(graphQl.execute(UPDATE_ORDER, OWNER, false,
                input("id", GlobalId.encode("User", OWNER), "state", "PAID")), "updateOrder");
        Map<String, Object> orderIdAsUser = payload(graphQl.execute(CREATE_ORDER, OWNER, false,
                input("userId", GlobalId.encode("Order", id))), "createOrder");
        Map<String, Object> missing = payload(graphQl.execute(DELETE_ORDER, OWNER, false,
                input("id", GlobalId.encode("Order", Long.MAX_VALUE / 2))), "deleteOrder");
        Map<String, Object> future = payload(graphQl.execute(CREATE_ORDER, OWNER, false,
                input("date", LocalDate.now().plusYears(1).toString())), "createOrder");

        assertThat(fieldErrors(userIdAsOrder)).containsOnlyKeys("id");
        assertThat(fieldErrors(orderIdAsUser)).containsOnlyKeys("userId");
        assertThat(fieldErrors(missing)).containsOnlyKeys("id");
        assertThat(fieldErrors(future)).containsOnlyKeys("date");
        assertThat(row(id)).isEqualTo("2026-03-07|UNPAID|" + OWNER);
        assertThat(ordersOf(OWNER)).isEqualTo(1);
    }

    @Test
    void anImpossibleDateOrAnUnknownStateIsAGraphQlErrorAndNothingIsWritten() {
        List<ExecutionResult> results = List.of(
                graphQl.execute(CREATE_ORDER, OWNER, false, input("date", "2026-13-45")),
                graphQl.execute("mutation { createOrder(input: {date: \"yesterday\"}) { order { id } } }", OWNER, false, Map.of()),
                graphQl.execute(CREATE_ORDER, OWNER, false, input("state", "SHIPPED")),
                graphQl.execute("mutation { createOrder(input: {state: SHIPPED}) { order { id } } }", OWNER, false, Map.of()));

        for (ExecutionResult result : results) {
            assertThat(result.getErrors()).as(result.toString()).isNotEmpty();
            assertThat(result.getErrors().toString()).doesNotContain("INTERNAL");
        }
        assertThat(results.get(2).getErrors().getFirst().getMessage()).contains("SHIPPED");
        assertThat(results.get(3).getErrors().getFirst().getMessage()).contains("SHIPPED");
        assertThat(ordersOf(OWNER)).isZero();
    }

    /** One request's mutation fields are saved together or not at all: a forbidden field rolls back those before it. */
    @Test
    void aForbiddenFieldRollsBackTheFieldsBeforeIt() {
        long foreign = insert(OTHER, "2026-02-02", "UNPAID");

        ExecutionResult result = graphQl.execute("""
                mutation($foreign: ID!) {
                  mine: createOrder(input: {state: PAID}) { order { id } ...CreateErrors }
                  theirs: updateOrder(input: {id: $foreign, state: PAID}) { order { id } ...UpdateErrors }
                }
                fragment CreateErrors on CreateOrderPayload { errors { field messages } }
                fragment UpdateErrors on UpdateOrderPayload { errors { field messages } }
                """, OWNER, false, Map.of("foreign", GlobalId.encode("Order", foreign)));

        assertThat(errorCodes(result)).containsExactly("FORBIDDEN");
        assertThat(ordersOf(OWNER)).as("the first field's order is rolled back").isZero();
        Map<String, Object> data = result.getData();
        assertThat(data.get("theirs")).isNull();
        Map<String, Object> mine = map(data.get("mine"));
        assertThat(mine.get("order")).isNull();
        assertThat(fieldErrors(mine).get("__all__").getFirst()).contains("mutation field 2 (`updateOrder`)");
        assertThat(row(foreign)).isEqualTo("2026-02-02|UNPAID|" + OTHER);
    }

    private Map<String, Object> payload(ExecutionResult result, String field) {
        return graphQl.payload(result, field);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static long databaseId(Object globalId) {
        return GlobalId.decode((String) globalId, "Order");
    }

    private long insert(long owner, String date, String state) {
        return jdbc.sql("insert into orders (date, state, user_id) values (cast(:date as date), :state, :owner) returning id")
                .param("date", date).param("state", state).param("owner", owner).query(Long.class).single();
    }

    /** The order's row as {@code date|state|user_id}, or {@code null} when it is gone. */
    private String row(long id) {
        return jdbc.sql("select date || '|' || state || '|' || user_id from orders where id = :id").param("id", id)
                .query(String.class).optional().orElse(null);
    }

    private long ordersOf(long owner) {
        return jdbc.sql("select count(*) from orders where user_id = :owner").param("owner", owner).query(Long.class).single();
    }

    private static UsersStub start() {
        try {
            return new UsersStub(SECRET, Set.of(STAFF, OWNER, OTHER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
