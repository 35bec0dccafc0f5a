package dev.ordergraph.orders.changes.feed;

/**
 * What one subscriber makes of the changes routed to it (visibility, filter, payload), decided by the
 * caller: the feed knows nothing of GraphQL.
 *
 * @param <D> one delivery: what the subscriber receives for a change
 */
public interface SubscriberView<D> {

    /** The subscriber's delivery of {@code change}, not marked as its transaction's last; {@code null} when it is not for them. */
    D deliver(SequencedChange change);

    /** Whether {@link #deliver} would deliver {@code change}: how the feed looks ahead for more of a transaction. */
    default boolean delivers(SequencedChange change) {
        return deliver(change) != null;
    }

    /** {@code delivery} marked as the last change of its transaction that this subscriber receives. */
    D endingTransaction(D delivery);
}
