package dev.ordergraph.orders.changes.capture;

/**
 * What a change did to a row, read from its images: both images an update, only the one after an
 * insert, only the one before a delete. The one place that rule is written: the stored window
 * labels its rows with it, and a subscriber's view applies it to the images its viewer may see (so
 * an order that leaves their sight is a deletion for them, one that enters it a creation).
 */
public enum RowChange {
    CREATED, UPDATED, DELETED;

    /** What happened between {@code before} and {@code after}; {@code null} when neither exists. */
    public static RowChange of(OrderImage before, OrderImage after) {
        if (before != null && after != null) {
            return UPDATED;
        }
        return after != null ? CREATED : before != null ? DELETED : null;
    }

    /** The image that shows the order after this: the new one, or the last one for a deletion. */
    public OrderImage shown(OrderImage before, OrderImage after) {
        return this == DELETED ? before : after;
    }
}
