package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.changes.capture.RowChange;
import dev.ordergraph.orders.changes.feed.SequencedChange;
import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderChange;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.orders.order.OrderMapper;
import dev.ordergraph.platform.security.Viewer;

import java.time.ZoneOffset;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One subscriber's view of the changes: what its viewer may see, what its filter asks for, and the
 * {@code OrderChange} it receives. The action is {@link RowChange}'s rule applied to the images the
 * viewer may see, so an order that leaves their sight (its owner changed) arrives as {@code DELETED},
 * one that enters it as {@code CREATED}; a change is kept when its row before or after matches the
 * filter. The GraphQL types are made here, at the edge: the feed and the capture know none of them.
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
    private final Predicate<OrderImage> filter;
    private final ChangeCursors cursors;

    ChangeView(Viewer viewer, Predicate<OrderImage> filter, ChangeCursors cursors) {
        this.viewer = viewer;
        this.filter = filter;
        this.cursors = cursors;
    }

    /** This viewer's delivery of {@code sequenced}, or {@code null} when it concerns them not. */
    @Override
    public Delivery apply(SequencedChange sequenced) {
        var change = sequenced.change();
        OrderImage before = visible(change.before());
        OrderImage after = visible(change.after());
        RowChange seen = RowChange.of(before, after);
        if (seen == null) {
            return null;
        }
        if (!(before != null && filter.test(before)) && !(after != null && filter.test(after))) {
            return null;
        }
        return new Delivery(OrderChange.newBuilder()
                .action(action(seen))
                .order(order(seen.shown(before, after)))
                .cursor(cursors.of(change.position()))
                .committedAt(change.committedAt().atOffset(ZoneOffset.UTC))
                .build(), change.txId());
    }

    /** An image as the API's {@code Order}; its state is one the schema names (the table's check keeps it so). */
    private static Order order(OrderImage image) {
        return OrderMapper.toGraphQl(image.id(), image.date(), OrderState.valueOf(image.state()), image.userId());
    }

    private static ChangeAction action(RowChange change) {
        return switch (change) {
            case CREATED -> ChangeAction.CREATED;
            case UPDATED -> ChangeAction.UPDATED;
            case DELETED -> ChangeAction.DELETED;
        };
    }

    private OrderImage visible(OrderImage row) {
        return row != null && viewer.canSee(row.userId()) ? row : null;
    }
}
