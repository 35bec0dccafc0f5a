package dev.ordergraph.orders.changes.feed;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * How a subscriber's deliveries become messages. A message uses one unit of the client's demand, so
 * what a message holds decides how much is read per request.
 *
 * @param <D> one delivery (what the subscriber's view makes of a change)
 * @param <T> one message: a delivery, or a list of them
 */
public sealed interface Packing<D, T> {

    /** One change per message. */
    record OnePerMessage<D>() implements Packing<D, D> {
    }

    /**
     * Everything unread, up to the bounds, in one message: what accumulated while the client was busy
     * with the previous one. Nothing waits for a batch to fill: a lone change is a batch of one.
     *
     * @param bytes a delivery's estimated size, counted against {@code maxBytes}
     */
    record Batches<D>(int maxChanges, long maxBytes, ToLongFunction<D> bytes) implements Packing<D, List<D>> {
        public Batches {
            if (maxChanges < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("Batch bounds must be positive, got " + maxChanges + " changes, " + maxBytes + " bytes");
            }
        }
    }
}
