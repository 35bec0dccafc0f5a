package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The recent changes, each kept once for every subscriber: a ring by sequence (the change with
 * sequence {@code s} is at {@code s % capacity} while {@code s >= oldest}), and an index by position
 * that finds a resume cursor and recognises a redelivered change. Subscribers read it at their own
 * pace; the feed appends to it. One lock guards it; {@link #locked} lets the feed make several steps
 * one (append and wake, or register and fix where to start).
 */
final class ChangeWindow {

    /** Up to {@code max} changes for a route from a reading position, and where to read on. */
    record Slice(List<SequencedChange> changes, long next, boolean more) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final SequencedChange[] ring;
    private final Map<ChangePosition, Long> sequenceOf = new HashMap<>();
    private long oldest = 1;
    private long newest;

    ChangeWindow(int capacity) {
        this.ring = new SequencedChange[capacity];
    }

    int capacity() {
        return ring.length;
    }

    <R> R locked(Supplier<R> steps) {
        lock.lock();
        try {
            return steps.get();
        } finally {
            lock.unlock();
        }
    }

    /** Fills an empty window with what a previous process kept, oldest first; numbering goes on from there. */
    void restore(List<SequencedChange> kept) {
        locked(() -> {
            for (SequencedChange change : kept) {
                if (newest == 0) {
                    oldest = change.sequence();
                }
                put(change);
            }
            return null;
        });
    }

    /** {@code change} as the next in sequence, or {@code null} when the window already holds it (a redelivery). */
    SequencedChange append(CapturedChange change) {
        return locked(() -> {
            if (sequenceOf.containsKey(change.position())) {
                return null;
            }
            SequencedChange sequenced = new SequencedChange(newest + 1, change);
            put(sequenced);
            return sequenced;
        });
    }

    /**
     * The changes from sequence {@code from} on that concern {@code route}, at most {@code max};
     * {@code null} when {@code from} has already left the window.
     */
    Slice read(Route route, long from, int max) {
        return locked(() -> {
            if (from < oldest) {
                return null;
            }
            List<SequencedChange> found = new ArrayList<>(Math.min(max, 64));
            long at = from;
            for (; at <= newest && found.size() < max; at++) {
                SequencedChange held = ring[(int) (at % ring.length)];
                if (held != null && held.sequence() == at && route.concerns(held.change())) {
                    found.add(held);
                }
            }
            return new Slice(found, at, at <= newest);
        });
    }

    /** What follows a change in its transaction, as far as the window holds it (see {@link #ahead}). */
    enum Ahead {
        /** Another change of the transaction that the reader wants. */
        MORE,
        /** The transaction ended without one. */
        ENDED,
        /** Neither yet: the rest of the transaction has not been captured. */
        OPEN
    }

    /**
     * Looks past sequence {@code after}, a change of transaction {@code txId} that does not end it, for
     * another change of that transaction which {@code route} concerns and {@code wanted} accepts. A
     * transaction's changes are consecutive, so a change of another transaction ends the search too.
     */
    Ahead ahead(long after, long txId, Route route, Predicate<SequencedChange> wanted) {
        return locked(() -> {
            for (long at = Math.max(after + 1, oldest); at <= newest; at++) {
                SequencedChange held = ring[(int) (at % ring.length)];
                if (held.change().txId() != txId) {
                    return Ahead.ENDED;
                }
                if (route.concerns(held.change()) && wanted.test(held)) {
                    return Ahead.MORE;
                }
                if (held.change().endsTransaction()) {
                    return Ahead.ENDED;
                }
            }
            return Ahead.OPEN;
        });
    }

    /** The sequence of the change at {@code position}, or {@code null} when the window does not hold it. */
    Long sequenceOf(ChangePosition position) {
        return locked(() -> sequenceOf.get(position));
    }

    /** The sequence of the newest change, 0 before the first. */
    long newest() {
        return locked(() -> newest);
    }

    /** The sequence of the oldest change held, or the next one when the window is empty. */
    long oldest() {
        return locked(() -> oldest);
    }

    /** The position of the newest change, {@code null} before the first. */
    ChangePosition newestPosition() {
        return locked(() -> newest >= oldest ? ring[(int) (newest % ring.length)].change().position() : null);
    }

    private void put(SequencedChange change) {
        int slot = (int) (change.sequence() % ring.length);
        SequencedChange evicted = ring[slot];
        if (evicted != null) {
            sequenceOf.remove(evicted.change().position());
            oldest = evicted.sequence() + 1;
        }
        ring[slot] = change;
        sequenceOf.put(change.change().position(), change.sequence());
        newest = change.sequence();
    }
}
