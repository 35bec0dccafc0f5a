package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SeedQueryTest extends GatewayTest {

    @Test
    void theSeedQueryReturnsTheViewersOrdersNewestFirstWithUserFieldsFederatedFromTheUsersSubgraph() {
        long caty = TestData.user("caty");
        String username = TestData.username(caty);
        TestData.orders(caty, 3, LocalDate.of(2026, 4, 12), "PAID");
        long other = TestData.user("other");
        TestData.orders(other, 2, LocalDate.of(2026, 4, 30), "UNPAID");

        Response response = gateway(Tokens.viewer(caty)).operation("seedGetOrders", Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.errors().isMissingNode()).as(response.toString()).isTrue();
        JsonNode orders = response.data().path("getOrders");
        assertThat(orders.size()).isEqualTo(3);
        List<String> dates = new ArrayList<>();
        for (JsonNode order : orders) {
            dates.add(order.path("date").asString());
            assertThat(order.path("state").asString()).isEqualTo("PAID");
            assertThat(order.path("user").path("username").asString()).isEqualTo(username);
            assertThat(order.path("user").path("email").asString()).isEqualTo(username + "@example.test");
        }
        assertThat(dates).containsExactly("2026-04-12", "2026-04-11", "2026-04-10");
    }
}
