package dev.ordergraph.orders.order;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.orders.OrdersSliceTest;
import dev.ordergraph.orders.user.UsersStub;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.testing.TestViewers;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules on order mutations' input, and the bounds on what a request may ask for. */
@OrdersSliceTest
class OrderRulesTest {

    private static final String SECRET = "orders-slice-test-secret-0123456789abcdef";
    private static final long STAFF = 1;
    private static final long CUSTOMER = 2;
    private static final long UNKNOWN = 99;
    private static final UsersStub USERS = start();

    private static final String CREATE = """
            mutation($input: CreateOrderInput!) {
              createOrder(input: $input) { order { id date user { id } } errors { field messages } clientMutationId }
            }""";
    private static final String UPDATE = """
            mutation($input: UpdateOrderInput!) {
              updateOrder(input: $input) { order { id date user { id } } errors { field messages } }
            }""";

    @Autowired
    DgsQueryExecutor graphQl;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        registry.add("ordergraph.users.url", USERS::url);
        registry.add("ordergraph.users.timeout", () -> "500ms");
        registry.add("ordergraph.gateway.hmac-secret", () -> SECRET);
        registry.add("ordergraph.gateway.max-representations", () -> "5");
    }

    @AfterAll
    static void stopUsers() {
        USERS.close();
    }

    @BeforeEach
    void noOrders() {
        jdbc.sql("truncate orders restart identity").update();
        USERS.mode(UsersStub.Mode.ANSWER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1899-12-31", "-5000-01-01", "0000-01-01", "+10000-01-01"})
    void aDateOutOfRangeIsAFieldErrorOnDate(String date) {
        Map<String, Object> payload = mutate(CREATE, "createOrder", STAFF, input("date", date));

        assertThat(payload.get("order")).isNull();
        assertThat(payload.get("errors")).asString().contains("field=date", "must be between 1900-01-01 and 9999-12-31");
        assertThat(orders()).isZero();
    }

    @Test
    void anUpdateToADateOutOfRangeIsAFieldErrorOnDateAndChangesNothing() {
        long id = insertOrder(CUSTOMER, "2026-01-02");

        Map<String, Object> payload = mutate(UPDATE, "updateOrder", CUSTOMER, input("id", orderId(id), "date", "-5000-01-01"));

        assertThat(payload.get("errors")).isEqualTo(List.of(Map.of("field", "date", "messages", List.of("must be between 1900-01-01 and 9999-12-31"))));
        assertThat(jdbc.sql("select date::text from orders where id = :id").param("id", id).query(String.class).single()).isEqualTo("2026-01-02");
    }

    @Test
    void theFirstDayOfTheRangeIsAccepted() {
        Map<String, Object> payload = mutate(CREATE, "createOrder", CUSTOMER, input("date", "1900-01-01"));

        assertThat(payload.get("errors")).isEqualTo(List.of());
        assertThat(payload.get("order")).asString().contains("date=1900-01-01");
    }

    @Test
    void aDayThatDoesNotExistIsNoDateAtAll() {
        ExecutionResult result = execute(CREATE, CUSTOMER, Map.of("input", input("date", "2026-02-30")));

        assertThat(result.getErrors()).singleElement().extracting(GraphQLError::getMessage).asString().contains("no such day");
        assertThat(orders()).isZero();
    }

    @Test
    void staffMayGiveAnOrderOnlyToAUserTheUsersSubgraphKnows() {
        Map<String, Object> unknown = mutate(CREATE, "createOrder", STAFF, input("userId", userId(UNKNOWN)));
        assertThat(unknown.get("order")).isNull();
        assertThat(unknown.get("errors")).isEqualTo(List.of(Map.of("field", "userId", "messages", List.of("there is no user with this ID"))));
        assertThat(orders()).isZero();

        Map<String, Object> known = mutate(CREATE, "createOrder", STAFF, input("userId", userId(CUSTOMER)));
        assertThat(known.get("errors")).isEqualTo(List.of());
        assertThat(known.get("order")).asString().contains(userId(CUSTOMER));
    }

    @Test
    void anOrderMovedToAnUnknownUserIsAFieldErrorOnUserIdAndStaysWhereItWas() {
        long id = insertOrder(CUSTOMER, "2026-01-02");

        Map<String, Object> payload = mutate(UPDATE, "updateOrder", STAFF, input("id", orderId(id), "userId", userId(UNKNOWN)));

        assertThat(payload.get("errors")).isEqualTo(List.of(Map.of("field", "userId", "messages", List.of("there is no user with this ID"))));
        assertThat(jdbc.sql("select user_id from orders where id = :id").param("id", id).query(Long.class).single()).isEqualTo(CUSTOMER);
    }

    @Test
    void withoutAnAnswerFromTheUsersSubgraphNothingIsWritten() {
        for (UsersStub.Mode mode : List.of(UsersStub.Mode.SLOW, UsersStub.Mode.BROKEN)) {
            USERS.mode(mode);
            ExecutionResult result = execute(CREATE, STAFF, Map.of("input", input("userId", userId(CUSTOMER))));

            assertThat(result.getErrors()).as(mode.name()).singleElement().satisfies(error -> {
                assertThat(error.getExtensions()).containsEntry("code", "SERVICE_UNAVAILABLE");
                assertThat(error.getPath()).isEqualTo(List.of("createOrder"));
            });
            assertThat(orders()).isZero();
        }
    }

    @Test
    void anOrderForTheViewerThemselvesAsksNobody() {
        int before = USERS.requests();

        assertThat(mutate(CREATE, "createOrder", CUSTOMER, input("userId", userId(CUSTOMER))).get("errors")).isEqualTo(List.of());
        assertThat(mutate(CREATE, "createOrder", STAFF, input()).get("errors")).isEqualTo(List.of());
        assertThat(USERS.requests()).isEqualTo(before);
    }

    @Test
    void aClientMutationIdLongerThan256CharactersIsAFieldError() {
        Map<String, Object> payload = mutate(CREATE, "createOrder", CUSTOMER, input("clientMutationId", "z".repeat(257), "date", "1800-01-01"));

        assertThat(payload.get("errors")).asString().contains("field=clientMutationId", "must be at most 256 characters", "field=date");
        assertThat(orders()).isZero();
    }

    @Test
    void aFilterDateOutOfRangeIsBadUserInput() {
        ExecutionResult result = execute("query($f: OrderFilter) { orders(filter: $f) { edges { node { id } } } }", CUSTOMER,
                Map.of("f", Map.of("dateFrom", "-5000-01-01")));

        assertThat(result.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT");
            assertThat(error.getMessage()).contains("'dateFrom' must be between 1900-01-01 and 9999-12-31");
        });
    }

    @Test
    void entitiesForMoreRepresentationsThanTheLimitAreRefusedBeforeAnyIsFetched() {
        long id = insertOrder(CUSTOMER, "2026-01-02");
        String query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id } } }";

        ExecutionResult five = execute(query, STAFF, Map.of("r", representations(id, 5)));
        assertThat(five.getErrors()).isEmpty();

        ExecutionResult six = execute(query, STAFF, Map.of("r", representations(id, 6)));
        assertThat(six.getErrors()).singleElement().satisfies(error ->
                assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT"));
        assertThat((Object) six.getData()).isNull(); // _entities is non-null: its error nulls the whole answer
    }

    private static List<Map<String, Object>> representations(long orderId, int count) {
        return IntStream.range(0, count).mapToObj(i -> Map.<String, Object>of("__typename", "Order", "id", orderId(orderId))).toList();
    }

    private Map<String, Object> mutate(String mutation, String field, long viewer, Map<String, Object> input) {
        ExecutionResult result = execute(mutation, viewer, Map.of("input", input));
        assertThat(result.getErrors()).isEmpty();
        return result.<Map<String, Map<String, Object>>>getData().get(field);
    }

    private ExecutionResult execute(String query, long viewer, Map<String, Object> variables) {
        HttpHeaders headers = TestViewers.as(viewer, viewer == STAFF);
        return graphQl.execute(query, variables, null, headers, null, null);
    }

    private static Map<String, Object> input(Object... keysAndValues) {
        Map<String, Object> input = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            input.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return input;
    }

    private long insertOrder(long owner, String date) {
        return jdbc.sql("insert into orders (date, user_id) values (cast(:date as date), :owner) returning id")
                .param("date", date).param("owner", owner).query(Long.class).single();
    }

    private long orders() {
        return jdbc.sql("select count(*) from orders").query(Long.class).single();
    }

    private static String orderId(long id) {
        return GlobalId.encode("Order", id);
    }

    private static String userId(long id) {
        return GlobalId.encode("User", id);
    }

    private static UsersStub start() {
        try {
            return new UsersStub(SECRET, Set.of(STAFF, CUSTOMER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
