package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One live subscription: which changes it is indexed for, what it makes of each (its view: visibility,
 * filter, payload, decided by the caller), and how far it has read. It holds no changes of its own:
 * it is a cursor into the window, read as fast as its client asks (Reactive Streams demand). A burst
 * of 10,000 changes costs each subscriber nothing until it reads them, and a subscriber that falls
 * further behind than {@code maxLag} changes is cut off with {@code SLOW_CONSUMER}; the feed never
 * waits for a client and memory does not grow with them.
 *
 * @param <D> what the view makes of one change
 * @param <T> what one message to the client carries (see {@link Packing})
 */
final class FeedSubscriber<D, T> {

    private static final long NOTHING = Long.MAX_VALUE;
    /** Changes read from the window per step: bounds the time its lock is held for one reader. */
    static final int READ_STEP = 256;

    private final ChangeWindow window;
    private final Route route;
    private final Function<SequencedChange, D> view;
    /** Batches (one list per message, within the bounds below) or one change per message. */
    private final boolean batched;
    private final int maxChanges;
    private final long maxBytes;
    private final ToLongFunction<D> bytes;
    private final long maxLag;
    /** The oldest sequence routed to this subscriber and not read yet; {@link #NOTHING} when none. */
    private final AtomicLong unread = new AtomicLong(NOTHING);
    private final AtomicInteger draining = new AtomicInteger();
    /** Where reading continues; only the draining thread touches it. */
    private long next;
    private volatile FluxSink<T> sink;
    private volatile ApiException failure;
    private volatile boolean closed;

    /**
     * @param view           this subscriber's delivery for a change, or {@code null} when it is not for them
     * @param firstSequence  the first change it reads
     * @param replay         whether the window already holds changes from {@code firstSequence} on (a resume)
     */
    FeedSubscriber(ChangeWindow window, Route route, Function<SequencedChange, D> view, Packing<D, T> packing,
                   long firstSequence, boolean replay, long maxLag) {
        this.window = window;
        this.route = route;
        this.view = view;
        this.maxLag = maxLag;
        if (packing instanceof Packing.Batches<?> batches) {
            @SuppressWarnings("unchecked") // Batches<D> is the only Batches a Packing<D, T> can be
            ToLongFunction<D> size = (ToLongFunction<D>) batches.bytes();
            this.batched = true;
            this.maxChanges = batches.maxChanges();
            this.maxBytes = batches.maxBytes();
            this.bytes = size;
        } else {
            this.batched = false;
            this.maxChanges = READ_STEP;
            this.maxBytes = Long.MAX_VALUE;
            this.bytes = delivery -> 0;
        }
        this.next = firstSequence;
        if (replay) {
            unread.set(firstSequence);
        }
    }

    Route route() {
        return route;
    }

    /** Ended (completed, cut off or cancelled by its client): the feed forgets it. */
    boolean closed() {
        return closed;
    }

    /**
     * The messages for this client, handed over on {@code delivery}: whatever the client's transport
     * does with them (an SSE response writes in {@code onNext} and asks for everything) blocks a
     * thread of its own, never the feed's, and its demand stays bounded by the hand-over queue.
     * Batches are handed over one at a time, so the next is read only once the transport has taken
     * the previous one: that is what lets changes accumulate into it.
     */
    Flux<T> flux(Scheduler delivery) {
        int prefetch = batched ? 1 : READ_STEP;
        return Flux.<T>create(created -> {
            if (failure != null) {
                created.error(failure); // cut off between subscribing to the feed and the client's first request
                return;
            }
            sink = created;
            created.onRequest(demand -> drain());
            created.onDispose(() -> closed = true);
        }).publishOn(delivery, prefetch);
    }

    /**
     * The feed published the change with {@code sequence}, which may concern this subscriber; called
     * by the publishing thread, in commit order, under the window's lock.
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

    /** Ends the subscription normally (the service is stopping), so the client knows to resume elsewhere. */
    void complete() {
        FluxSink<T> out = sink;
        closed = true;
        if (out != null) {
            out.complete();
        }
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
                List<D> read = batched ? read(maxChanges, maxBytes) : read((int) Math.min(out.requestedFromDownstream(), READ_STEP), maxBytes);
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

    @SuppressWarnings("unchecked") // T is D for one change per message and List<D> for batches
    private void emit(FluxSink<T> out, List<D> read) {
        if (batched) {
            out.next((T) read);
        } else {
            read.forEach(delivery -> out.next((T) delivery));
        }
    }

    /**
     * This subscriber's deliveries among the unread changes, at most {@code limit} and, past the
     * first, {@code byteLimit} bytes; empty when nothing is unread, {@code null} when what was unread has
     * left the window. What it does not take stays unread.
     */
    private List<D> read(int limit, long byteLimit) {
        List<D> taken = new ArrayList<>(Math.min(limit, 64));
        long size = 0;
        while (taken.size() < limit && size < byteLimit) {
            long from = unread.getAndSet(NOTHING);
            if (from == NOTHING) {
                break;
            }
            ChangeWindow.Slice slice = window.read(route, Math.max(next, from), Math.min(limit - taken.size(), READ_STEP));
            if (slice == null) {
                return null;
            }
            long resumeAt = slice.next();
            for (SequencedChange change : slice.changes()) {
                if (taken.size() >= limit || size >= byteLimit) {
                    resumeAt = change.sequence(); // full: this one and the rest of the slice stay unread
                    break;
                }
                D delivery = view.apply(change);
                if (delivery != null) {
                    taken.add(delivery);
                    size += bytes.applyAsLong(delivery);
                }
            }
            next = resumeAt;
            if (slice.more() || resumeAt < slice.next()) {
                unread.accumulateAndGet(resumeAt, Math::min);
            }
        }
        return taken;
    }

    private void fail() {
        failure = new ApiException(ErrorCode.SLOW_CONSUMER, "This subscription fell more than " + maxLag
                + " changes behind and was closed; resume with the last cursor received, or read faster.");
        closed = true;
        FluxSink<T> out = sink;
        if (out != null) {
            out.error(failure);
        }
    }
}
