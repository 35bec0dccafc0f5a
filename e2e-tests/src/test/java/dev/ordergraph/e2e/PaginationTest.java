package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PaginationTest extends GatewayTest {

    @Test
    void ordersWalksEveryPageOnceNewestFirstAndAPageStaysCorrectWhenNewerOrdersArrive() {
        long owner = TestData.user("pager");
        List<Long> ids = TestData.orders(owner, 7, LocalDate.of(2026, 3, 31), "UNPAID");
        GraphQlClient client = gateway(Tokens.viewer(owner));

        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        boolean hasNext = true;
        while (hasNext) {
            Map<String, Object> variables = new HashMap<>();
            variables.put("first", 3);
            variables.put("after", after);
            JsonNode connection = page(client, variables);
            connection.path("edges").forEach(edge -> seen.add(edge.path("node").path("id").asString()));
            hasNext = connection.path("pageInfo").path("hasNextPage").asBoolean();
            after = connection.path("pageInfo").path("endCursor").asString();
            if (pages++ == 0) {
                // An order newer than everything must not shift the following pages (keyset, not offset).
                TestData.orders(owner, 1, LocalDate.of(2026, 5, 1), "UNPAID");
            }
        }

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(ids.stream().map(id -> TestData.globalId("Order", id)).toList());
    }

    @Test
    void aFilterNarrowsThePageByStateOwnerAndDates() {
        long owner = TestData.user("filter");
        TestData.orders(owner, 4, LocalDate.of(2026, 2, 10), "PAID");
        TestData.orders(owner, 4, LocalDate.of(2026, 2, 20), "UNPAID");
        long staffId = TestData.user("staff");

        JsonNode connection = page(gateway(Tokens.staff(staffId)), Map.of("first", 50, "filter", Map.of(
                "state", "PAID", "userId", TestData.globalId("User", owner),
                "dateFrom", "2026-02-08", "dateTo", "2026-02-09")));

        assertThat(connection.path("edges").size()).isEqualTo(2);
        connection.path("edges").forEach(edge -> {
            assertThat(edge.path("node").path("state").asString()).isEqualTo("PAID");
            assertThat(edge.path("node").path("date").asString()).isIn("2026-02-08", "2026-02-09");
        });
        assertThat(connection.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
    }

    @Test
    void userOrdersPagesThroughTheOwnersOrdersFromTheOtherSubgraph() {
        long owner = TestData.user("userorders");
        List<Long> ids = TestData.orders(owner, 3, LocalDate.of(2026, 1, 31), "PAID");
        GraphQlClient client = gateway(Tokens.viewer(owner));

        Response first = client.operation("meWithOrders", Map.of("first", 2));
        JsonNode me = first.data().path("me");
        assertThat(me.path("username").asString()).as(first.toString()).isEqualTo(TestData.username(owner));
        assertThat(me.path("orders").path("edges").size()).isEqualTo(2);
        assertThat(me.path("orders").path("pageInfo").path("hasNextPage").asBoolean()).isTrue();

        Response second = client.operation("meWithOrders",
                Map.of("first", 2, "after", me.path("orders").path("pageInfo").path("endCursor").asString()));
        JsonNode rest = second.data().path("me").path("orders");
        assertThat(rest.path("edges").size()).isEqualTo(1);
        assertThat(rest.path("edges").get(0).path("node").path("id").asString()).isEqualTo(TestData.globalId("Order", ids.get(2)));
        assertThat(rest.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
    }

    private static JsonNode page(GraphQlClient client, Map<String, ?> variables) {
        Response response = client.operation("ordersPage", variables);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.errors().isMissingNode()).as(response.toString()).isTrue();
        return response.data().path("orders");
    }
}
