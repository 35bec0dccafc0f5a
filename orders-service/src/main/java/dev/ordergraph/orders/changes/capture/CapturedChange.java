package dev.ordergraph.orders.changes.capture;

import java.time.Instant;

/**
 * A committed change to one order as the capture read it from the log, complete and immutable.
 *
 * @param before          the row before the change ({@code null} for an insert); whole thanks to
 *                        {@code REPLICA IDENTITY FULL}, so a change of owner is visible to the old owner
 * @param after           the row after the change ({@code null} for a delete)
 * @param position        identity in the log; a redelivered change carries the same one
 * @param committedAt     when its transaction committed
 * @param origin          who made its transaction
 * @param endsTransaction whether it is the last change of {@code orders} its transaction made: the
 *                        changes of one transaction are consecutive, so a subscriber that has seen this
 *                        one knows the transaction is complete
 * @param trace           the W3C {@code traceparent} its trace continues from: the mutation's (from its
 *                        origin mark), then the capture's own span; {@code null} when nothing traces it
 */
public record CapturedChange(OrderImage before, OrderImage after, ChangePosition position, Instant committedAt,
                             ChangeOrigin origin, boolean endsTransaction, String trace) {

    public CapturedChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("A change has a row before or after it");
        }
        if (origin == null) {
            throw new IllegalArgumentException("A change has an origin, OUTSIDE when nothing marked it");
        }
    }

    /** A change made from outside the API, alone in its transaction. */
    public CapturedChange(OrderImage before, OrderImage after, ChangePosition position, Instant committedAt) {
        this(before, after, position, committedAt, ChangeOrigin.OUTSIDE, true);
    }

    /** A change no trace follows. */
    public CapturedChange(OrderImage before, OrderImage after, ChangePosition position, Instant committedAt,
                          ChangeOrigin origin, boolean endsTransaction) {
        this(before, after, position, committedAt, origin, endsTransaction, null);
    }

    public long orderId() {
        return after != null ? after.id() : before.id();
    }

    /** What the change did to the row. */
    public RowChange action() {
        return RowChange.of(before, after);
    }

    /** The transaction, as the log numbers it (a 32-bit xid). */
    public long txId() {
        return position.txId();
    }

    /** This change at {@code position} (the capture numbers changes that share one WAL record). */
    public CapturedChange at(ChangePosition position) {
        return new CapturedChange(before, after, position, committedAt, origin, endsTransaction, trace);
    }

    /** This change, made by {@code origin}. */
    public CapturedChange from(ChangeOrigin origin) {
        return new CapturedChange(before, after, position, committedAt, origin, endsTransaction, trace);
    }

    /** This change, as the last (or not) of its transaction. */
    public CapturedChange endingTransaction(boolean ends) {
        return new CapturedChange(before, after, position, committedAt, origin, ends, trace);
    }

    /** This change, its trace continuing from {@code traceparent}. */
    public CapturedChange tracedFrom(String traceparent) {
        return new CapturedChange(before, after, position, committedAt, origin, endsTransaction, traceparent);
    }
}
