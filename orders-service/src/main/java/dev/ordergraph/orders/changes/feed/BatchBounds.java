package dev.ordergraph.orders.changes.feed;

import java.util.function.ToLongFunction;

/**
 * How much one message to a subscriber may hold. Every subscriber receives lists: everything unread, up
 * to these bounds, in one message, which is what accumulated while its transport was busy with the
 * previous one. Nothing waits for a list to fill: a lone change is a list of one. A message uses one
 * unit of the client's demand, so these bounds decide how much is read per request.
 *
 * @param maxChanges at most this many changes
 * @param maxBytes   at most this many bytes, past the first change (one always goes, however large)
 * @param bytes      a delivery's estimated size, counted against {@code maxBytes}
 * @param wholeTransactions whether a message keeps a transaction's changes together: it ends before a
 *                   transaction that does not fit, and holds one back until it is complete, unless the
 *                   transaction alone fills a message (then the rest of it goes out as it is captured)
 * @param <D>        one delivery (what the subscriber's view makes of a change)
 */
record BatchBounds<D>(int maxChanges, long maxBytes, ToLongFunction<D> bytes, boolean wholeTransactions) {

    BatchBounds {
        if (maxChanges < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("Batch bounds must be positive, got " + maxChanges + " changes, " + maxBytes + " bytes");
        }
    }

    /**
     * For a subscription whose edge sends one change per message and unrolls the lists: a read step
     * per list, so its changes are read in the same steps, and reach it as soon, as when they were
     * handed over one by one.
     */
    static <D> BatchBounds<D> perChange() {
        return new BatchBounds<>(FeedSubscriber.READ_STEP, Long.MAX_VALUE, delivery -> 0, false);
    }
}
