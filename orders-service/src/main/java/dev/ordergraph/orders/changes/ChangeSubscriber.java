package dev.ordergraph.orders.changes;

import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderChange;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.security.Viewer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One live subscription: which changes it wants, what its viewer may see, and how far it has read.
 * It holds no events of its own: it is a cursor into the feed's window, read as fast as its client
 * asks (Reactive Streams demand). A burst of 10,000 changes costs each subscriber nothing until it
 * reads them, and a subscriber that falls further behind than {@code maxLag} changes is cut off
 * with {@code SLOW_CONSUMER}; the feed never waits for a client and memory does not grow with them.
 *
 * @param <T> what one message to the client carries: one change, or a batch of them (see {@link Packing})
 */
public final class ChangeSubscriber<T> {

    /** What the feed indexes a subscriber by, so an event wakes only those it may concern. */
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

    /** A change as this subscriber sees it, with the transaction that made it. */
    public record Delivery(OrderChange change, long txId) {

        /** Roughly the bytes this change takes as JSON with the order's own fields, to bound a batch. */
        int estimatedBytes() {
            Order order = change.getOrder();
            return 160 + change.getCursor().length() + order.getId().length() + order.getUser().getId().length();
        }
    }

    /**
     * How deliveries become messages. A message uses one unit of the client's demand, so what a
     * message holds decides how much is read per request.
     */
    public sealed interface Packing<T> {
        /** One change per message. */
        record OnePerMessage() implements Packing<Delivery> {
        }

        /**
         * Everything unread, up to the bounds, in one message: what accumulated while the client was
         * busy with the previous one. Nothing waits for a batch to fill: a lone change is a batch of one.
         */
        record Batches(int maxChanges, long maxBytes) implements Packing<List<Delivery>> {
            public Batches {
                if (maxChanges < 1 || maxBytes < 1) {
                    throw new IllegalArgumentException("Batch bounds must be positive, got " + maxChanges + " changes, " + maxBytes + " bytes");
                }
            }
        }
    }

    private static final long NOTHING = Long.MAX_VALUE;
    /** Events read from the window per step: bounds the time the feed's lock is held for one reader. */
    static final int READ_STEP = 256;

    private final ChangeFeed feed;
    private final Viewer viewer;
    private final Route route;
    private final Predicate<OrderRow> filter;
    private final Packing<T> packing;
    private final long maxLag;
    private final Runnable onClose;
    /** The oldest sequence routed to this subscriber and not read yet; {@link #NOTHING} when none. */
    private final AtomicLong unread = new AtomicLong(NOTHING);
    private final AtomicInteger draining = new AtomicInteger();
    /** Where reading continues; only the draining thread touches it. */
    private long next;
    private volatile FluxSink<T> sink;
    private volatile ApiException failure;
    private volatile boolean closed;

    ChangeSubscriber(ChangeFeed feed, Viewer viewer, Route route, Predicate<OrderRow> filter, Packing<T> packing,
                     long firstSequence, boolean replay, long maxLag, Runnable onClose) {
        this.feed = feed;
        this.viewer = viewer;
        this.route = route;
        this.filter = filter;
        this.packing = packing;
        this.maxLag = maxLag;
        this.onClose = onClose;
        this.next = firstSequence;
        if (replay) {
            unread.set(firstSequence); // changes already in the window after the client's cursor
        }
    }

    Route route() {
        return route;
    }

    /**
     * The messages for this client, handed over on {@code delivery}: whatever the client's transport
     * does with them (an SSE response writes in {@code onNext} and asks for everything) blocks a
     * thread of its own, never the feed's, and its demand stays bounded by the hand-over queue.
     * Batches are handed over one at a time, so the next is read only once the transport has taken
     * the previous one: that is what lets changes accumulate into it.
     */
    Flux<T> flux(Scheduler delivery) {
        int prefetch = packing instanceof Packing.Batches ? 1 : READ_STEP;
        return Flux.<T>create(created -> {
            if (failure != null) {
                created.error(failure); // cut off between subscribing to the feed and the client's first request
                return;
            }
            sink = created;
            created.onRequest(demand -> drain());
            created.onDispose(this::close);
        }).publishOn(delivery, prefetch).doFinally(signal -> close());
    }

    /**
     * The feed published the change with {@code sequence}, which may concern this subscriber; called
     * by the publishing thread, in commit order, under the feed's lock.
     */
    void wake(long sequence, long newest) {
        if (closed) {
            return;
        }
        long oldestUnread = unread.accumulateAndGet(sequence, Math::min);
        if (newest - oldestUnread >= maxLag) {
            fail(); // it has not read changes that are about to leave the window it reads from
            return;
        }
        drain();
    }

    /** Reads what the client asked for, from where it stopped; one thread at a time. */
    private void drain() {
        if (draining.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            FluxSink<T> out = sink;
            while (out != null && !closed && out.requestedFromDownstream() > 0) {
                List<Delivery> read = switch (packing) {
                    case Packing.OnePerMessage one -> read((int) Math.min(out.requestedFromDownstream(), READ_STEP), Long.MAX_VALUE);
                    case Packing.Batches batches -> read(batches.maxChanges(), batches.maxBytes());
                };
                if (read == null) {
                    fail(); // the window moved past what this subscriber had still to read
                    return;
                }
                if (read.isEmpty()) {
                    break;
                }
                emit(out, read);
            }
            missed = draining.addAndGet(-missed);
        } while (missed != 0);
    }

    @SuppressWarnings("unchecked") // T is Delivery for OnePerMessage and List<Delivery> for Batches
    private void emit(FluxSink<T> out, List<Delivery> read) {
        switch (packing) {
            case Packing.OnePerMessage one -> read.forEach(delivery -> out.next((T) delivery));
            case Packing.Batches batches -> out.next((T) read);
        }
    }

    /**
     * This viewer's deliveries among the unread changes, at most {@code maxChanges} and, past the
     * first, {@code maxBytes}; empty when nothing is unread, {@code null} when what was unread has
     * left the window. What it does not take stays unread.
     */
    private List<Delivery> read(int maxChanges, long maxBytes) {
        List<Delivery> taken = new ArrayList<>(Math.min(maxChanges, 64));
        long bytes = 0;
        while (taken.size() < maxChanges && bytes < maxBytes) {
            long from = unread.getAndSet(NOTHING);
            if (from == NOTHING) {
                break;
            }
            ChangeFeed.Slice slice = feed.read(route, Math.max(next, from), Math.min(maxChanges - taken.size(), READ_STEP));
            if (slice == null) {
                return null;
            }
            long resumeAt = slice.next();
            for (OrderChangeEvent event : slice.events()) {
                if (taken.size() >= maxChanges || bytes >= maxBytes) {
                    resumeAt = event.sequence(); // full: this one and the rest of the slice stay unread
                    break;
                }
                OrderChange change = view(event);
                if (change != null) {
                    Delivery delivery = new Delivery(change, event.txId());
                    taken.add(delivery);
                    bytes += delivery.estimatedBytes();
                }
            }
            next = resumeAt;
            if (slice.more() || resumeAt < slice.next()) {
                unread.accumulateAndGet(resumeAt, Math::min);
            }
        }
        return taken;
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
        FluxSink<T> out = sink;
        if (out != null) {
            out.complete();
        }
        close();
    }

    private void fail() {
        failure = new ApiException(ErrorCode.SLOW_CONSUMER, "This subscription fell more than " + maxLag
                + " changes behind and was closed; resume with the last cursor received, or read faster.");
        FluxSink<T> out = sink;
        if (out != null) {
            out.error(failure);
        }
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
