package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.order.OrderDates;
import dev.ordergraph.orders.generated.DgsConstants;
import dev.ordergraph.orders.generated.types.OrderFilter;
import dev.ordergraph.platform.relay.GlobalId;

import java.time.LocalDate;
import java.util.function.Predicate;

/** {@link OrderFilter} evaluated in memory on a row image, the way the query's WHERE clause does in SQL. */
final class OrderRowFilter {

    private OrderRowFilter() {
    }

    static Predicate<OrderImage> of(OrderFilter filter) {
        Predicate<OrderImage> predicate = row -> true;
        if (filter == null) {
            return predicate;
        }
        if (filter.getState() != null) {
            String state = filter.getState().name(); // as the table stores it
            predicate = predicate.and(row -> row.state().equals(state));
        }
        if (filter.getUserId() != null) {
            long userId = GlobalId.decode(filter.getUserId(), DgsConstants.USER.TYPE_NAME);
            predicate = predicate.and(row -> row.userId() == userId);
        }
        if (filter.getDateFrom() != null) {
            LocalDate from = OrderDates.requireInRange(filter.getDateFrom(), "dateFrom"); // as the query refuses it
            predicate = predicate.and(row -> !row.date().isBefore(from));
        }
        if (filter.getDateTo() != null) {
            LocalDate to = OrderDates.requireInRange(filter.getDateTo(), "dateTo");
            predicate = predicate.and(row -> !row.date().isAfter(to));
        }
        return predicate;
    }

    /** The owner a filter pins, or {@code null}: lets a staff subscription be indexed by owner. */
    static Long owner(OrderFilter filter) {
        return filter == null || filter.getUserId() == null ? null : GlobalId.decode(filter.getUserId(), DgsConstants.USER.TYPE_NAME);
    }
}
