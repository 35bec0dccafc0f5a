package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.changes.capture.RowChange;
import dev.ordergraph.orders.changes.feed.SequencedChange;
import dev.ordergraph.orders.changes.feed.SubscriberView;
import dev.ordergraph.orders.generated.DgsConstants;
import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.ChangeOriginKind;
import dev.ordergraph.orders.generated.types.ChangeTransaction;
import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderChange;
import dev.ordergraph.orders.generated.types.OrderField;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.orders.generated.types.User;
import dev.ordergraph.orders.order.OrderMapper;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.security.Viewer;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One subscriber's view of the changes: what its viewer may see, what its filter asks for, and the
 * {@code OrderChange} it receives. The action is {@link RowChange}'s rule applied to the images the
 * viewer may see, so an order that leaves their sight (its owner changed) arrives as {@code DELETED},
 * one that enters it as {@code CREATED} (with no {@code previous}: nothing of the earlier owner's
 * shows); a change is kept when its row before or after matches the filter. Who made a change (its
 * origin's actor and {@code clientMutationId}) is shown to that actor and to staff only. The GraphQL
 * types are made here, at the edge: the feed and the capture know none of them.
 */
final class ChangeView implements SubscriberView<ChangeView.Delivery> {

    private static final List<OrderField> ALL_FIELDS = List.of(OrderField.DATE, OrderField.STATE, OrderField.USER);

    /** A change as this subscriber sees it, with the transaction that made it. */
    record Delivery(OrderChange change, long txId) {

        /** Roughly the bytes this change takes as JSON with the order's own fields, to bound a batch. */
        long estimatedBytes() {
            Order order = change.getOrder();
            long orderBytes = 60 + order.getId().length() + order.getUser().getId().length();
            long previousBytes = change.getPrevious() == null ? 0 : orderBytes;
            String clientMutationId = change.getOrigin().getClientMutationId();
            return 280 + change.getCursor().length() + orderBytes + previousBytes + 8L * change.getChangedFields().size()
                    + (clientMutationId == null ? 0 : clientMutationId.length() + 50);
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
    public Delivery deliver(SequencedChange sequenced) {
        CapturedChange change = sequenced.change();
        OrderImage before = visible(change.before());
        OrderImage after = visible(change.after());
        RowChange seen = seen(before, after);
        if (seen == null) {
            return null;
        }
        OrderImage shown = seen.shown(before, after);
        return new Delivery(OrderChange.newBuilder()
                .action(action(seen))
                .order(order(shown))
                .previous(seen == RowChange.CREATED ? null : order(before))
                .changedFields(changedFields(seen, before, after))
                .transaction(transaction(change))
                .origin(origin(change.origin()))
                .cursor(cursors.of(change.position()))
                .committedAt(change.committedAt().atOffset(ZoneOffset.UTC))
                .build(), change.txId());
    }

    @Override
    public boolean delivers(SequencedChange sequenced) {
        CapturedChange change = sequenced.change();
        return seen(visible(change.before()), visible(change.after())) != null;
    }

    @Override
    public Delivery endingTransaction(Delivery delivery) {
        OrderChange change = delivery.change();
        ChangeTransaction transaction = change.getTransaction();
        return new Delivery(OrderChange.newBuilder()
                .action(change.getAction())
                .order(change.getOrder())
                .previous(change.getPrevious())
                .changedFields(change.getChangedFields())
                .transaction(ChangeTransaction.newBuilder().id(transaction.getId()).committedAt(transaction.getCommittedAt()).last(true).build())
                .origin(change.getOrigin())
                .cursor(change.getCursor())
                .committedAt(change.getCommittedAt())
                .build(), delivery.txId());
    }

    /** What the viewer sees happen, when the images they may see exist and one of them matches the filter. */
    private RowChange seen(OrderImage before, OrderImage after) {
        RowChange seen = RowChange.of(before, after);
        if (seen == null || !(before != null && filter.test(before)) && !(after != null && filter.test(after))) {
            return null;
        }
        return seen;
    }

    private ChangeTransaction transaction(CapturedChange change) {
        return ChangeTransaction.newBuilder()
                .id(cursors.transactionId(change.txId(), change.committedAt()))
                .committedAt(change.committedAt().atOffset(ZoneOffset.UTC))
                .last(false) // until the feed knows it ends the transaction for this subscriber
                .build();
    }

    /** The origin, with who made it only for them and for staff. */
    private dev.ordergraph.orders.generated.types.ChangeOrigin origin(ChangeOrigin origin) {
        var shown = dev.ordergraph.orders.generated.types.ChangeOrigin.newBuilder()
                .kind(origin.api() ? ChangeOriginKind.API : ChangeOriginKind.OUTSIDE);
        if (origin.api() && (viewer.staff() || viewer.userId() == origin.actorId())) {
            shown.clientMutationId(origin.clientMutationId())
                    .actor(User.newBuilder().id(GlobalId.encode(DgsConstants.USER.TYPE_NAME, origin.actorId())).build());
        }
        return shown.build();
    }

    /** The fields that differ: all for an order that appears, none for one that goes. */
    private static List<OrderField> changedFields(RowChange seen, OrderImage before, OrderImage after) {
        return switch (seen) {
            case CREATED -> ALL_FIELDS;
            case DELETED -> List.of();
            case UPDATED -> {
                List<OrderField> changed = new ArrayList<>(3);
                if (!before.date().equals(after.date())) {
                    changed.add(OrderField.DATE);
                }
                if (!before.state().equals(after.state())) {
                    changed.add(OrderField.STATE);
                }
                if (before.userId() != after.userId()) {
                    changed.add(OrderField.USER);
                }
                yield changed;
            }
        };
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
