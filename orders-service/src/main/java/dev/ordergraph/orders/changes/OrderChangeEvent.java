package dev.ordergraph.orders.changes;

import dev.ordergraph.orders.generated.types.ChangeAction;

import java.time.Instant;

/**
 * A committed change to one order, decoded once from the log and shared by every subscriber.
 *
 * @param before the row before the change ({@code null} for an insert); complete thanks to
 *               {@code REPLICA IDENTITY FULL}, so a change of owner is visible to the old owner
 * @param after  the row after the change ({@code null} for a delete)
 * @param position identity in the log; its transaction id tells whether a database snapshot already contains the change
 * @param sequence order of delivery, assigned by the {@link ChangeFeed}; 0 until then
 */
public record OrderChangeEvent(ChangeAction action, OrderRow before, OrderRow after, ChangePosition position,
                               Instant committedAt, long sequence) {

    public long txId() {
        return position.txId();
    }

    /** This event at {@code position}. */
    OrderChangeEvent at(ChangePosition position) {
        return new OrderChangeEvent(action, before, after, position, committedAt, sequence);
    }

    /** This event as the feed's {@code sequence}-th, counted in delivery (commit) order since start. */
    OrderChangeEvent sequenced(long sequence) {
        return new OrderChangeEvent(action, before, after, position, committedAt, sequence);
    }


    public long orderId() {
        return after != null ? after.id() : before.id();
    }
}
