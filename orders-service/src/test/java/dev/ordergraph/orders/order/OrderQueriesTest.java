package dev.ordergraph.orders.order;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.orders.OrdersSliceTest;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.testing.GraphQl;
import graphql.ExecutionResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ordergraph.platform.testing.GraphQl.NOBODY;
import static dev.ordergraph.platform.testing.GraphQl.errorCodes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who sees which orders ({@code order}, {@code orders}, {@code getOrders}, a user's {@code orders}), and how
 * pages and filters cut them: keyset pages newest first, filters by state, owner and dates.
 */
@OrdersSliceTest
class OrderQueriesTest {

    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final String ORDERS_PAGE = """
            query($first: Int, $after: String, $filter: OrderFilter) {
              orders(first: $first, after: $after, filter: $filter) {
                edges { cursor node { id date state user { id } } }
                pageInfo { hasNextPage endCursor }
              }
            }""";
    private static final String USER_ORDERS = """
            query($r: [_Any!]!, $first: Int, $after: String) {
              _entities(representations: $r) { ... on User { orders(first: $first, after: $after) {
                edges { node { id } } pageInfo { hasNextPage endCursor } } } }
            }""";

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    JdbcClient jdbc;

    private GraphQl graphQl;

    @BeforeEach
    void noOrders() {
        graphQl = new GraphQl(executor);
        jdbc.sql("truncate orders restart identity").update();
    }

    @Test
    void anotherUsersOrderByIdIsNullAndStaffSeeIt() {
        long bobsOrder = orders(BOB, 1, LocalDate.of(2026, 6, 1), "UNPAID").getFirst();
        String query = "query($id: ID!) { order(id: $id) { id user { id } } }";
        Map<String, Object> id = Map.of("id", GlobalId.encode("Order", bobsOrder));

        ExecutionResult alice = graphQl.execute(query, ALICE, false, id);
        ExecutionResult staff = graphQl.execute(query, ALICE, true, id);

        assertThat(alice.getErrors()).isEmpty();
        assertThat(alice.<Map<String, Object>>getData()).containsEntry("order", null);
        assertThat(staff.getErrors()).isEmpty();
        assertThat(staff.<Map<String, Object>>getData().get("order")).asString().contains(GlobalId.encode("User", BOB));
    }

    @Test
    void anotherUsersOrdersUnderTheirUserAreEmpty() {
        orders(BOB, 2, LocalDate.of(2026, 6, 1), "UNPAID");

        ExecutionResult result = graphQl.execute(USER_ORDERS, ALICE, false, Map.of("r", user(BOB)));

        assertThat(result.getErrors()).isEmpty();
        assertThat(userOrders(result).get("edges")).isEqualTo(List.of());
    }

    @Test
    void ordersWithoutATokenAreUnauthenticated() {
        ExecutionResult result = graphQl.execute("{ getOrders { id } }", NOBODY, false, Map.of());

        assertThat(errorCodes(result)).containsExactly("UNAUTHENTICATED");
        Map<String, Object> data = result.getData();
        assertThat(data == null || data.get("getOrders") == null).as("no orders").isTrue();
    }

    @Test
    void ordersWalksEveryPageOnceNewestFirstAndAPageStaysCorrectWhenNewerOrdersArrive() {
        List<Long> ids = orders(ALICE, 7, LocalDate.of(2026, 3, 31), "UNPAID");

        List<Object> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        boolean hasNext = true;
        while (hasNext) {
            Map<String, Object> variables = new HashMap<>();
            variables.put("first", 3);
            variables.put("after", after);
            Map<String, Object> connection = page(ALICE, false, variables);
            edges(connection).forEach(edge -> seen.add(node(edge).get("id")));
            hasNext = (Boolean) pageInfo(connection).get("hasNextPage");
            after = (String) pageInfo(connection).get("endCursor");
            if (pages++ == 0) {
                // An order newer than everything must not shift the following pages (keyset, not offset).
                orders(ALICE, 1, LocalDate.of(2026, 5, 1), "UNPAID");
            }
        }

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(ids.stream().map(id -> GlobalId.encode("Order", id)).toList());
    }

    @Test
    void aFilterNarrowsThePageByStateOwnerAndDates() {
        orders(ALICE, 4, LocalDate.of(2026, 2, 10), "PAID");
        orders(ALICE, 4, LocalDate.of(2026, 2, 20), "UNPAID");
        orders(BOB, 4, LocalDate.of(2026, 2, 10), "PAID");

        Map<String, Object> connection = page(BOB, true, Map.of("first", 50, "filter", Map.of(
                "state", "PAID", "userId", GlobalId.encode("User", ALICE), "dateFrom", "2026-02-08", "dateTo", "2026-02-09")));

        assertThat(edges(connection)).hasSize(2).allSatisfy(edge -> {
            assertThat(node(edge).get("state")).isEqualTo("PAID");
            assertThat(node(edge).get("date")).asString().isIn("2026-02-08", "2026-02-09");
            assertThat(node(edge).get("user")).isEqualTo(Map.of("id", GlobalId.encode("User", ALICE)));
        });
        assertThat(pageInfo(connection).get("hasNextPage")).isEqualTo(false);
    }

    @Test
    void aUsersOrdersPageThroughTheirOwnOrders() {
        List<Long> ids = orders(ALICE, 3, LocalDate.of(2026, 1, 31), "PAID");

        Map<String, Object> first = userOrders(graphQl.execute(USER_ORDERS, ALICE, false, Map.of("r", user(ALICE), "first", 2)));
        assertThat(edges(first)).hasSize(2);
        assertThat(pageInfo(first).get("hasNextPage")).isEqualTo(true);

        Map<String, Object> rest = userOrders(graphQl.execute(USER_ORDERS, ALICE, false,
                Map.of("r", user(ALICE), "first", 2, "after", pageInfo(first).get("endCursor"))));
        assertThat(edges(rest)).singleElement().satisfies(edge -> assertThat(node(edge).get("id")).isEqualTo(GlobalId.encode("Order", ids.get(2))));
        assertThat(pageInfo(rest).get("hasNextPage")).isEqualTo(false);
    }

    @Test
    void aPageSizeOutOfRangeOrAForeignCursorIsBadUserInput() {
        ExecutionResult tooLarge = graphQl.execute(ORDERS_PAGE, ALICE, false, Map.of("first", 1000));
        ExecutionResult foreignCursor = graphQl.execute(ORDERS_PAGE, ALICE, false, Map.of("first", 1, "after", "dXNlcnN8MQ"));

        assertThat(errorCodes(tooLarge)).containsExactly("BAD_USER_INPUT");
        assertThat(errorCodes(foreignCursor)).containsExactly("BAD_USER_INPUT");
    }

    @Test
    void aMalformedGlobalIdOrOneOfTheWrongTypeIsBadUserInput() {
        String query = "query($id: ID!) { order(id: $id) { id } }";
        ExecutionResult malformed = graphQl.execute(query, ALICE, false, Map.of("id", "not base64 at all!"));
        ExecutionResult wrongType = graphQl.execute(query, ALICE, false, Map.of("id", GlobalId.encode("User", ALICE)));

        assertThat(errorCodes(malformed)).containsExactly("BAD_USER_INPUT");
        assertThat(errorCodes(wrongType)).containsExactly("BAD_USER_INPUT");
        assertThat(wrongType.getErrors().getFirst().getMessage()).contains("Order").contains("User");
    }

    /** As a client bypassing the gateway might ask: an order entity needs a token, and the error names no class. */
    @Test
    void anOrderEntityWithoutATokenIsUnauthenticatedAndNamesNoClass() {
        long order = orders(ALICE, 1, LocalDate.of(2026, 7, 2), "PAID").getFirst();

        ExecutionResult result = graphQl.execute("query($r: [_Any!]!) { _entities(representations: $r) { __typename } }", NOBODY, false,
                Map.of("r", List.of(Map.of("__typename", "Order", "id", GlobalId.encode("Order", order)))));

        assertThat(errorCodes(result)).containsExactly("UNAUTHENTICATED");
        assertThat(result.getErrors().toString()).doesNotContain("dev.ordergraph").doesNotContain("Exception").doesNotContain("INTERNAL");
    }

    private Map<String, Object> page(long viewer, boolean staff, Map<String, Object> variables) {
        ExecutionResult result = graphQl.execute(ORDERS_PAGE, viewer, staff, variables);
        assertThat(result.getErrors()).isEmpty();
        return map(result.<Map<String, Object>>getData().get("orders"));
    }

    private static List<Map<String, Object>> user(long id) {
        return List.of(Map.of("__typename", "User", "id", GlobalId.encode("User", id)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> userOrders(ExecutionResult result) {
        assertThat(result.getErrors()).isEmpty();
        List<Map<String, Object>> entities = (List<Map<String, Object>>) result.<Map<String, Object>>getData().get("_entities");
        return map(entities.getFirst().get("orders"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> edges(Map<String, Object> connection) {
        return (List<Map<String, Object>>) connection.get("edges");
    }

    private static Map<String, Object> node(Map<String, Object> edge) {
        return map(edge.get("node"));
    }

    private static Map<String, Object> pageInfo(Map<String, Object> connection) {
        return map(connection.get("pageInfo"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** {@code count} orders of {@code owner}, one a day going back from {@code newest}; their ids, newest first. */
    private List<Long> orders(long owner, int count, LocalDate newest, String state) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(jdbc.sql("insert into orders (date, state, user_id) values (:date, :state, :owner) returning id")
                    .param("date", newest.minusDays(i)).param("state", state).param("owner", owner).query(Long.class).single());
        }
        return ids;
    }
}
