package dev.ordergraph.orders.changes.capture;

import java.time.Instant;

/**
 * A committed change to one order as the capture read it from the log, complete and immutable.
 *
 * @param before      the row before the change ({@code null} for an insert); whole thanks to
 *                    {@code REPLICA IDENTITY FULL}, so a change of owner is visible to the old owner
 * @param after       the row after the change ({@code null} for a delete)
 * @param position    identity in the log; a redelivered change carries the same one
 * @param committedAt when its transaction committed
 */
public record CapturedChange(OrderImage before, OrderImage after, ChangePosition position, Instant committedAt) {

    public CapturedChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("A change has a row before or after it");
        }
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
        return new CapturedChange(before, after, position, committedAt);
    }
}
