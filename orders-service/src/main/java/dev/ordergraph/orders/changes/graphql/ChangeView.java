package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.feed.SequencedChange;
import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderChange;
import dev.ordergraph.orders.order.OrderRow;
import dev.ordergraph.platform.security.Viewer;

import java.time.ZoneOffset;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One subscriber's view of the changes: what its viewer may see, what its filter asks for, and the
 * {@code OrderChange} it receives. An order that leaves the viewer's sight (its owner changed) arrives
 * as {@code DELETED}, one that enters it as {@code CREATED}; a change is kept when its row before or
 * after matches the filter.
 */
final class ChangeView implements Function<SequencedChange, ChangeView.Delivery> {

    /** A change as this subscriber sees it, with the transaction that made it. */
    record Delivery(OrderChange change, long txId) {

        /** Roughly the bytes this change takes as JSON with the order's own fields, to bound a batch. */
        long estimatedBytes() {
            Order order = change.getOrder();
            return 160 + change.getCursor().length() + order.getId().length() + order.getUser().getId().length();
        }
    }

    private final Viewer viewer;
    private final Predicate<OrderRow> filter;
    private final ChangeCursors cursors;

    ChangeView(Viewer viewer, Predicate<OrderRow> filter, ChangeCursors cursors) {
        this.viewer = viewer;
        this.filter = filter;
        this.cursors = cursors;
    }

    /** This viewer's delivery of {@code sequenced}, or {@code null} when it concerns them not. */
    @Override
    public Delivery apply(SequencedChange sequenced) {
        var change = sequenced.change();
        OrderRow before = visible(change.before());
        OrderRow after = visible(change.after());
        ChangeAction action;
        OrderRow image;
        if (before != null && after != null) {
            action = ChangeAction.UPDATED;
            image = after;
        } else if (after != null) {
            action = ChangeAction.CREATED;
            image = after;
        } else if (before != null) {
            action = ChangeAction.DELETED;
            image = before;
        } else {
            return null;
        }
        if (!(before != null && filter.test(before)) && !(after != null && filter.test(after))) {
            return null;
        }
        return new Delivery(OrderChange.newBuilder()
                .action(action)
                .order(image.toGraphQl())
                .cursor(cursors.of(change.position()))
                .committedAt(change.committedAt().atOffset(ZoneOffset.UTC))
                .build(), change.txId());
    }

    private OrderRow visible(OrderRow row) {
        return row != null && viewer.canSee(row.userId()) ? row : null;
    }
}
