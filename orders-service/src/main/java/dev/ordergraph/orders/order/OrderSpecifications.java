package dev.ordergraph.orders.order;

import dev.ordergraph.orders.generated.types.OrderFilter;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.security.Viewer;
import org.springframework.data.jpa.domain.Specification;

import java.time.LocalDate;

/** The WHERE clauses of order queries, combined per request. */
final class OrderSpecifications {

    private OrderSpecifications() {
    }

    /** Viewers see their own orders; staff see all. */
    static Specification<OrderEntity> visibleTo(Viewer viewer) {
        return viewer.staff() ? Specification.unrestricted() : ownedBy(viewer.userId());
    }

    static Specification<OrderEntity> ownedBy(long userId) {
        return (root, query, cb) -> cb.equal(root.get("userId"), userId);
    }

    static Specification<OrderEntity> matching(OrderFilter filter) {
        Specification<OrderEntity> spec = Specification.unrestricted();
        if (filter == null) {
            return spec;
        }
        if (filter.getState() != null) {
            spec = spec.and(inState(filter.getState()));
        }
        if (filter.getUserId() != null) {
            spec = spec.and(ownedBy(GlobalId.decode(filter.getUserId(), "User")));
        }
        if (filter.getDateFrom() != null) {
            LocalDate from = OrderDates.requireInRange(filter.getDateFrom(), "dateFrom");
            spec = spec.and((root, query, cb) -> cb.greaterThanOrEqualTo(root.get("date"), from));
        }
        if (filter.getDateTo() != null) {
            LocalDate to = OrderDates.requireInRange(filter.getDateTo(), "dateTo");
            spec = spec.and((root, query, cb) -> cb.lessThanOrEqualTo(root.get("date"), to));
        }
        return spec;
    }

    static Specification<OrderEntity> inState(OrderState state) {
        return (root, query, cb) -> cb.equal(root.get("state"), state);
    }

    /** Rows strictly after {@code keyset} in newest-first order. */
    static Specification<OrderEntity> after(OrderKeyset keyset) {
        if (keyset == null) {
            return Specification.unrestricted();
        }
        return (root, query, cb) -> cb.or(
                cb.lessThan(root.get("date"), keyset.date()),
                cb.and(cb.equal(root.get("date"), keyset.date()), cb.lessThan(root.get("id"), keyset.id())));
    }
}
