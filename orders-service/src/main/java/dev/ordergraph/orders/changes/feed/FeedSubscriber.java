package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.tracing.ChangeSpans;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One live subscription: which changes it is indexed for, what it makes of each (its view: visibility,
 * filter, payload, decided by the caller), and how far it has read. It holds no changes of its own:
 * it is a cursor into the window, read as fast as its client asks (Reactive Streams demand). A burst
 * of 10,000 changes costs each subscriber nothing until it reads them, and a subscriber that falls
 * further behind than {@code maxLag} changes is cut off with {@code SLOW_CONSUMER}; the feed never
 * waits for a client and memory does not grow with them.
 * <p>
 * Each delivery says whether it is the last of its transaction for this subscriber. That is known from
 * the next change of the transaction this subscriber takes, or from the transaction's end: when
 * neither has been captured yet (a transaction longer than one of the source's batches), the delivery
 * waits, and the subscriber with it, until the feed's next batch ({@link #resume}).
 *
 * @param <D> what the view makes of one change; the client receives lists of them (see {@link BatchBounds})
 */
final class FeedSubscriber<D> {

    private static final long NOTHING = Long.MAX_VALUE;
    /** Changes read from the window per step: bounds the time its lock is held for one reader. */
    static final int READ_STEP = 256;

    private final ChangeWindow window;
    private final Route route;
    private final SubscriberView<D> view;
    private final BatchBounds<D> bounds;
    private final long maxLag;
    /** Commit to hand-over to the transport, per change. */
    private final Timer sendLag;
    /** The oldest sequence routed to this subscriber and not read yet; {@link #NOTHING} when none. */
    private final AtomicLong unread = new AtomicLong(NOTHING);
    private final AtomicInteger draining = new AtomicInteger();
    /** Where reading continues; only the draining thread touches it. */
    private long next;
    /**
     * The transaction the previous message ended inside of, {@code null} when it ended a transaction:
     * one already split across messages is larger than the bounds, and goes on as it is captured.
     * Only the draining thread touches it.
     */
    private Long splitTransaction;
    private volatile FluxSink<Read<D>> sink;
    private volatile ApiException failure;
    private volatile boolean closed;
    /** Holding back a delivery until more of its transaction is captured: the feed's next batch resumes it. */
    private volatile boolean waiting;
    private final Consumer<FeedSubscriber<?>> onWaiting;
    /** Counts the subscribers cut off as SLOW_CONSUMER (what an operator's alert watches). */
    private final Counter cutOff;
    private final ChangeSpans spans;

    /** One message as read: its deliveries and, to time their hand-over, when each one's change committed. */
    private record Read<D>(List<D> deliveries, List<Instant> committedAt, String trace) {
    }

    /**
     * @param view           what this subscriber makes of a change
     * @param firstSequence  the first change it reads
     * @param replay         whether the window already holds changes from {@code firstSequence} on (a resume)
     * @param onWaiting      told when it holds a delivery back until the feed's next batch
     */
    FeedSubscriber(ChangeWindow window, Route route, SubscriberView<D> view, BatchBounds<D> bounds,
                   long firstSequence, boolean replay, long maxLag, Timer sendLag, Counter cutOff,
                   Consumer<FeedSubscriber<?>> onWaiting, ChangeSpans spans) {
        this.window = window;
        this.route = route;
        this.view = view;
        this.bounds = bounds;
        this.maxLag = maxLag;
        this.sendLag = sendLag;
        this.cutOff = cutOff;
        this.next = firstSequence;
        this.onWaiting = onWaiting;
        this.spans = spans;
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
     * thread of its own, never the feed's. Messages are handed over one at a time (prefetch 1), so the
     * next is read only once the transport has taken the previous one: that is what lets changes
     * accumulate into it, and what bounds what a subscriber holds to the message in hand and the next.
     */
    Flux<List<D>> flux(Scheduler delivery) {
        return Flux.<Read<D>>create(created -> {
            if (failure != null) {
                created.error(failure); // cut off between subscribing to the feed and the client's first request
                return;
            }
            sink = created;
            created.onRequest(demand -> drain());
            created.onDispose(() -> closed = true);
        }).publishOn(delivery, 1)
                .transform(spans.deliveries("order-change deliver", Read::trace, read -> read.deliveries().size()))
                .map(this::handOver);
    }

    /** The deliveries of {@code read}, as its transport takes them: the end of each change's send lag. */
    private List<D> handOver(Read<D> read) {
        Instant now = Instant.now();
        read.committedAt().forEach(committed -> sendLag.record(Duration.between(committed, now)));
        return read.deliveries();
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
        if (!waiting) {
            drain(); // a waiting subscriber reads again after the whole batch, not after each of its changes
        }
    }

    /** The feed handed over a batch: a subscriber waiting for more of a transaction reads again. */
    void resume() {
        waiting = false;
        drain();
    }

    /** Ends the subscription normally (the service is stopping), so the client knows to resume elsewhere. */
    void complete() {
        FluxSink<Read<D>> out = sink;
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
            FluxSink<Read<D>> out = sink;
            while (out != null && !closed && out.requestedFromDownstream() > 0) {
                Read<D> read = read();
                if (read == null) {
                    fail(); // the window moved past what this subscriber had still to read
                    return;
                }
                if (read.deliveries().isEmpty()) {
                    break;
                }
                out.next(read);
            }
            missed = draining.addAndGet(-missed);
        } while (missed != 0);
    }

    /**
     * This subscriber's deliveries among the unread changes, within its bounds, each marked when it ends
     * its transaction; empty when nothing is unread (or all of it waits for its transaction's end),
     * {@code null} when what was unread has left the window. What it does not take stays unread.
     */
    private Read<D> read() {
        waiting = false;
        int limit = bounds.maxChanges();
        List<Taken<D>> taken = new ArrayList<>(Math.min(limit, 64));
        long size = 0;
        while (taken.size() < limit && size < bounds.maxBytes()) {
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
                if (taken.size() >= limit || size >= bounds.maxBytes()) {
                    resumeAt = change.sequence(); // full: this one and the rest of the slice stay unread
                    break;
                }
                D delivery = view.deliver(change);
                if (delivery != null) {
                    taken.add(new Taken<>(delivery, change));
                    size += bounds.bytes().applyAsLong(delivery);
                }
            }
            next = resumeAt;
            if (slice.more() || resumeAt < slice.next()) {
                unread.accumulateAndGet(resumeAt, Math::min);
            }
        }
        boolean full = taken.size() >= limit || size >= bounds.maxBytes();
        return taken.isEmpty() ? new Read<>(List.of(), List.of(), null) : complete(taken, full);
    }

    /**
     * The message made of {@code taken}: each delivery followed by another of its transaction is not that
     * transaction's last, each followed by one of another transaction is. The final delivery's is decided
     * by looking ahead in the window; while the rest of its transaction has not been captured, it waits
     * (with its whole transaction, when the bounds keep transactions whole and it began in this message).
     * With {@code full}, a transaction that began after the message's first delivery and goes on past it
     * is left for the next message, where it may fit whole; one that fills a message alone is larger than
     * the bounds, and from then on goes out as it is captured, like a per-change subscription's.
     */
    private Read<D> complete(List<Taken<D>> taken, boolean full) {
        Taken<D> last = taken.getLast();
        boolean endsItsTransaction = last.change().change().endsTransaction();
        long looked = endsItsTransaction ? 0 : window.newest(); // what the look-ahead sees at least
        ChangeWindow.Ahead ahead = endsItsTransaction ? ChangeWindow.Ahead.ENDED
                : window.ahead(last.change().sequence(), last.txId(), route, view::delivers);
        int keep = taken.size();
        if (ahead != ChangeWindow.Ahead.ENDED) {
            int transactionStart = keep - 1;
            while (transactionStart > 0 && taken.get(transactionStart - 1).continuedBy(last)) {
                transactionStart--;
            }
            boolean alreadySplit = transactionStart == 0 && splitTransaction != null && splitTransaction == last.txId();
            boolean keepWhole = bounds.wholeTransactions() && (transactionStart > 0 || !(full || alreadySplit));
            keep = keepWhole ? transactionStart : ahead == ChangeWindow.Ahead.OPEN ? keep - 1 : keep;
            if (keep < taken.size()) {
                long back = taken.get(keep).change().sequence();
                next = back;
                unread.accumulateAndGet(back, Math::min);
                if (ahead == ChangeWindow.Ahead.OPEN) {
                    onWaiting.accept(this);
                    waiting = true;
                    if (window.newest() > looked) {
                        // Changes came meanwhile, perhaps the transaction's end, perhaps after the feed resumed
                        // its waiting subscribers: read once more (inside drain, this only counts a pass).
                        drain();
                    }
                }
            }
        }
        if (keep > 0) {
            Taken<D> lastSent = taken.get(keep - 1);
            boolean ends = keep < taken.size() ? !lastSent.continuedBy(taken.get(keep)) : ahead == ChangeWindow.Ahead.ENDED;
            splitTransaction = ends ? null : lastSent.txId();
        }
        List<D> deliveries = new ArrayList<>(keep);
        List<Instant> committedAt = new ArrayList<>(keep);
        String trace = null; // the newest traced change's: a delivery span has one parent
        for (int i = 0; i < keep; i++) {
            Taken<D> one = taken.get(i);
            if (one.change().change().trace() != null) {
                trace = one.change().change().trace();
            }
            boolean ends = i + 1 < taken.size() ? !one.continuedBy(taken.get(i + 1)) : ahead == ChangeWindow.Ahead.ENDED;
            deliveries.add(ends ? view.endingTransaction(one.delivery()) : one.delivery());
            committedAt.add(one.change().change().committedAt());
        }
        return new Read<>(deliveries, committedAt, trace);
    }

    /** A delivery and the change it was made of. */
    private record Taken<D>(D delivery, SequencedChange change) {
        long txId() {
            return change.change().txId();
        }

        /** Whether {@code later}, taken after this one, belongs to the same transaction (they are consecutive in the log). */
        boolean continuedBy(Taken<?> later) {
            return !change.change().endsTransaction() && later.txId() == txId();
        }
    }

    private void fail() {
        if (!closed) {
            cutOff.increment();
        }
        failure = new ApiException(ErrorCode.SLOW_CONSUMER, "This subscription fell more than " + maxLag
                + " changes behind and was closed; resume with the last cursor received, or read faster.");
        closed = true;
        FluxSink<Read<D>> out = sink;
        if (out != null) {
            out.error(failure);
        }
    }
}
