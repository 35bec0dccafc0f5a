package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.feed.Changes.Seen;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.ordergraph.orders.changes.feed.Changes.each;
import static dev.ordergraph.orders.changes.feed.Changes.transaction;
import static org.assertj.core.api.Assertions.assertThat;

/** Where transactions end for a subscriber ({@code transaction.last}), and batches that keep them whole. */
class FeedTransactionsTest {

    private static final Route ALL = new Route.All();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(150);

    private static List<CapturedChange> concat(List<CapturedChange> first, List<CapturedChange> second) {
        List<CapturedChange> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Test
    void theLastChangeOfATransactionASubscriberReceivesIsMarkedEvenWhenOthersFollowItThatItDoesNotSee() {
        ChangeFeed feed = Changes.feed();
        List<CapturedChange> three = transaction(20, 1, 3, 1, true);

        StepVerifier.create(each(feed.subscribe(ALL, null, Changes.seen(change -> true))))
                .then(() -> feed.publish(three))
                .expectNext(new Seen(1, false), new Seen(2, false), new Seen(3, true))
                .thenCancel().verify(WAIT);
        StepVerifier.create(each(feed.subscribe(ALL, null, Changes.seen(change -> change.orderId() == 11))))
                .then(() -> feed.publish(transaction(21, 11, 3, 1, true)))
                .expectNext(new Seen(11, true)) // 12 and 13 are not for it: 11 ends the transaction for this subscriber
                .thenCancel().verify(WAIT);
    }

    @Test
    void aChangeWaitsForTheRestOfItsTransactionWhenTheSourceHandedOnlyPartOfIt() {
        ChangeFeed feed = Changes.feed();
        List<CapturedChange> first = transaction(30, 1, 2, 1, false);
        List<CapturedChange> rest = transaction(30, 3, 1, 5, true); // another owner's order: not routed to owner 1

        StepVerifier.create(each(feed.subscribe(new Route.ByOwner(1), null, Changes.seen(change -> true))))
                .then(() -> feed.publish(first))
                .expectNext(new Seen(1, false)) // 2 may or may not be the last: it waits
                .expectNoEvent(QUIET)
                .then(() -> feed.publish(rest))
                .expectNext(new Seen(2, true))
                .thenCancel().verify(WAIT);
    }

    @Test
    void aBatchEndsBeforeATransactionThatDoesNotFitSoThatItArrivesWhole() {
        ChangeFeed feed = Changes.feed(20_000, 20_000, 5, DataSize.ofMegabytes(1), new Changes.MemoryStore());
        feed.publish(transaction(39, 0, 1, 1, true));
        var start = feed.newestPosition();
        feed.publish(concat(transaction(40, 1, 3, 1, true), transaction(41, 4, 4, 1, true)));

        StepVerifier.create(feed.subscribeBatches(ALL, start, Changes.seen(change -> true), seen -> 100, Integer.MAX_VALUE))
                .expectNext(List.of(new Seen(1, false), new Seen(2, false), new Seen(3, true)))
                .expectNext(List.of(new Seen(4, false), new Seen(5, false), new Seen(6, false), new Seen(7, true)))
                .thenCancel().verify(WAIT);
    }

    @Test
    void aTransactionLargerThanTheBoundFillsWholeBatchesAndItsEndIsMarkedOnce() {
        ChangeFeed feed = Changes.feed(20_000, 20_000, 5, DataSize.ofMegabytes(1), new Changes.MemoryStore());
        feed.publish(transaction(49, 0, 1, 1, true));
        var start = feed.newestPosition();
        feed.publish(transaction(50, 1, 12, 1, true));

        StepVerifier.create(feed.subscribeBatches(ALL, start, Changes.seen(change -> true), seen -> 100, Integer.MAX_VALUE))
                .assertNext(batch -> assertThat(batch).hasSize(5).noneMatch(Seen::last))
                .assertNext(batch -> assertThat(batch).hasSize(5).noneMatch(Seen::last))
                .expectNext(List.of(new Seen(11, false), new Seen(12, true)))
                .thenCancel().verify(WAIT);
    }

    @Test
    void aBatchSubscriberWaitsForATransactionThatFitsUntilItIsComplete() {
        ChangeFeed feed = Changes.feed(20_000, 20_000, 100, DataSize.ofMegabytes(1), new Changes.MemoryStore());

        StepVerifier.create(feed.subscribeBatches(ALL, null, Changes.seen(change -> true), seen -> 100, Integer.MAX_VALUE))
                .then(() -> feed.publish(transaction(60, 1, 3, 1, false)))
                .expectNoEvent(QUIET)
                .then(() -> feed.publish(transaction(60, 4, 2, 1, true)))
                .expectNext(List.of(new Seen(1, false), new Seen(2, false), new Seen(3, false), new Seen(4, false), new Seen(5, true)))
                .thenCancel().verify(WAIT);
    }

    @Test
    void aTransactionAlreadySplitGoesOnAsItIsCapturedWithoutWaitingToFillABatch() {
        ChangeFeed feed = Changes.feed(20_000, 20_000, 5, DataSize.ofMegabytes(1), new Changes.MemoryStore());

        StepVerifier.create(feed.subscribeBatches(ALL, null, Changes.seen(change -> true), seen -> 100, Integer.MAX_VALUE))
                .then(() -> feed.publish(transaction(70, 1, 7, 1, false)))
                .assertNext(batch -> assertThat(batch).extracting(Seen::orderId).containsExactly(1L, 2L, 3L, 4L, 5L))
                .expectNext(List.of(new Seen(6, false))) // larger than a batch: no need to wait; 7 waits to know if it is the last
                .expectNoEvent(QUIET)
                .then(() -> feed.publish(transaction(70, 8, 1, 1, true)))
                .expectNext(List.of(new Seen(7, false), new Seen(8, true)))
                .thenCancel().verify(WAIT);
    }
}
