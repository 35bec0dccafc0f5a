package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.generated.types.OrderFilter;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.platform.relay.GlobalId;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscription filter on a row image agrees with the query's {@code OrderFilter} (OrderSpecifications):
 * every field given must match, dates inclusive at both ends, nothing given matches everything.
 */
class OrderRowFilterTest {

    private static final OrderImage ROW = new OrderImage(9, LocalDate.of(2026, 3, 15), "PAID", 4);

    private static boolean matches(OrderFilter filter) {
        return OrderRowFilter.of(filter).test(ROW);
    }

    @Test
    void eachFieldAgreesWithTheQuery() {
        assertThat(matches(null)).isTrue();
        assertThat(matches(OrderFilter.newBuilder().build())).isTrue();
        assertThat(matches(OrderFilter.newBuilder().state(OrderState.PAID).build())).isTrue();
        assertThat(matches(OrderFilter.newBuilder().state(OrderState.UNPAID).build())).isFalse();
        assertThat(matches(OrderFilter.newBuilder().userId(GlobalId.encode("User", 4)).build())).isTrue();
        assertThat(matches(OrderFilter.newBuilder().userId(GlobalId.encode("User", 5)).build())).isFalse();
        assertThat(matches(OrderFilter.newBuilder().dateFrom(LocalDate.of(2026, 3, 15)).build())).isTrue();
        assertThat(matches(OrderFilter.newBuilder().dateFrom(LocalDate.of(2026, 3, 16)).build())).isFalse();
        assertThat(matches(OrderFilter.newBuilder().dateTo(LocalDate.of(2026, 3, 15)).build())).isTrue();
        assertThat(matches(OrderFilter.newBuilder().dateTo(LocalDate.of(2026, 3, 14)).build())).isFalse();
    }

    @Test
    void allGivenFieldsMustMatch() {
        assertThat(matches(OrderFilter.newBuilder().state(OrderState.PAID).userId(GlobalId.encode("User", 5)).build())).isFalse();
        assertThat(matches(OrderFilter.newBuilder().state(OrderState.PAID).userId(GlobalId.encode("User", 4))
                .dateFrom(LocalDate.of(2026, 3, 1)).dateTo(LocalDate.of(2026, 3, 31)).build())).isTrue();
    }

    @Test
    void aFilterPinsAnOwnerOnlyWhenItNamesOne() {
        assertThat(OrderRowFilter.owner(OrderFilter.newBuilder().userId(GlobalId.encode("User", 4)).build())).isEqualTo(4L);
        assertThat(OrderRowFilter.owner(OrderFilter.newBuilder().state(OrderState.PAID).build())).isNull();
    }
}
