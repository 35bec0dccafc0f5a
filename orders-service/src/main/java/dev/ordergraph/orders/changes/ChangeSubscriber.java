package dev.ordergraph.orders.changes;

import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.OrderChange;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.security.Viewer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;

/**
 * One live subscription: which changes it wants, what its viewer may see, and a bounded buffer
 * between the feed (one thread for everyone) and this client's socket. When the buffer is full the
 * subscriber is cut off with {@code SLOW_CONSUMER}: the feed never waits for one client and never
 * buffers without bound.
 */
public final class ChangeSubscriber {

    /** What the feed indexes a subscriber by, so an event is offered only to those it may concern. */
    public sealed interface Route {
        /** Changes to one order. */
        record ByOrder(long orderId) implements Route {
        }

        /** Changes to the orders of one owner (before or after the change). */
        record ByOwner(long userId) implements Route {
        }

        /** Every change (staff). */
        record All() implements Route {
        }
    }

    private final Viewer viewer;
    private final Route route;
    private final Predicate<OrderRow> filter;
    private final Sinks.Many<Delivery> sink;
    private final Runnable onClose;
    private long lastDelivered;
    private volatile boolean closed;

    ChangeSubscriber(Viewer viewer, Route route, Predicate<OrderRow> filter, int buffer, long deliveredUpTo, Runnable onClose) {
        this.viewer = viewer;
        this.route = route;
        this.filter = filter;
        this.sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<Delivery>get(buffer).get());
        this.lastDelivered = deliveredUpTo;
        this.onClose = onClose;
    }

    Route route() {
        return route;
    }

    /** A change as this subscriber sees it, with the transaction that made it. */
    public record Delivery(OrderChange change, long txId) {
    }

    /** The events for this client: first {@code replay} (already selected for it), then live ones. */
    Flux<Delivery> flux(List<Delivery> replay) {
        return Flux.concat(Flux.fromIterable(replay), sink.asFlux())
                .doFinally(signal -> close());
    }

    /**
     * Offers one event; called by the feed's single publishing thread in commit order. The event is
     * translated for this viewer: an order that leaves the viewer's scope arrives as DELETED, one
     * that enters it as CREATED.
     */
    void offer(OrderChangeEvent event) {
        if (closed || event.sequence() <= lastDelivered) {
            return; // already delivered (at-least-once redelivery, or replayed at subscribe)
        }
        OrderChange change = view(event);
        lastDelivered = event.sequence();
        if (change == null) {
            return;
        }
        Sinks.EmitResult result = sink.tryEmitNext(new Delivery(change, event.txId()));
        if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            sink.tryEmitError(new ApiException(ErrorCode.SLOW_CONSUMER,
                    "This subscription fell more than its buffer behind and was closed; resume with the last cursor received."));
            close();
        } else if (result.isFailure()) {
            close(); // cancelled or terminated by the client
        }
    }

    /** This viewer's view of {@code event}, or {@code null} when it concerns them not. */
    OrderChange view(OrderChangeEvent event) {
        OrderRow before = visible(event.before());
        OrderRow after = visible(event.after());
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
        return OrderChange.newBuilder()
                .action(action)
                .order(image.toGraphQl())
                .cursor(event.position().toCursor())
                .committedAt(event.committedAt().atOffset(ZoneOffset.UTC))
                .build();
    }

    void complete() {
        sink.tryEmitComplete();
        close();
    }

    private OrderRow visible(OrderRow row) {
        return row != null && viewer.canSee(row.userId()) ? row : null;
    }

    private void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
