package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ordergraph.orders.changes.feed.Changes.ORDER_ID;
import static dev.ordergraph.orders.changes.feed.Changes.each;
import static dev.ordergraph.orders.changes.feed.Changes.inserts;
import static dev.ordergraph.orders.changes.feed.Changes.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The feed on its own: replay, redelivery, demand, slow consumers, routing, and a restart. */
class ChangeFeedTest {

    private static final Route ALL = new Route.All();
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aSubscriberResumingAfterACursorGetsExactlyTheChangesAfterItThenLiveOnes() {
        ChangeFeed feed = Changes.feed();
        List<CapturedChange> first = inserts(1, 5, 1);
        feed.publish(first);

        StepVerifier.create(feed.subscribe(ALL, first.get(1).position(), ORDER_ID))
                .expectNext(List.of(3L, 4L, 5L)) // what the window held, in one list
                .then(() -> feed.publish(inserts(6, 1, 1)))
                .expectNext(List.of(6L))
                .thenCancel().verify(WAIT);
    }

    @Test
    void aRedeliveredChangeIsDroppedSoEachChangeArrivesOnce() {
        ChangeFeed feed = Changes.feed();
        List<CapturedChange> batch = inserts(1, 3, 1);

        StepVerifier.create(each(feed.subscribe(ALL, null, ORDER_ID)))
                .then(() -> feed.publish(batch))
                .expectNext(1L, 2L, 3L)
                .then(() -> feed.publish(List.of(batch.get(1), batch.get(2), inserts(4, 1, 1).getFirst()))) // after a restart of the engine
                .expectNext(4L)
                .thenCancel().verify(WAIT);
    }

    @Test
    void aCursorTheWindowNoLongerHoldsIsCursorExpired() {
        ChangeFeed feed = Changes.feed(10, 10, 1000, DataSize.ofMegabytes(1), new Changes.MemoryStore());
        List<CapturedChange> changes = inserts(1, 30, 1);
        feed.publish(changes);

        assertThatThrownBy(() -> feed.subscribe(ALL, changes.getFirst().position(), ORDER_ID))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).code()).isEqualTo(ErrorCode.CURSOR_EXPIRED);
        assertThatThrownBy(() -> feed.subscribe(ALL, new ChangePosition(1, 1, 0), ORDER_ID)).isInstanceOf(ApiException.class);
    }

    @Test
    void aReplicaReadingASharedTopicWaitsBrieflyForACursorItHasNotReadYetThenCallsItExpired() {
        ChangeFeed feed = Changes.feed(Changes.DURABLE, 20_000, 20_000, 1000, DataSize.ofMegabytes(1), new Changes.MemoryStore());
        List<CapturedChange> changes = inserts(1, 3, 1);

        StepVerifier.create(each(feed.subscribe(ALL, changes.get(1).position(), ORDER_ID))) // issued by a replica ahead of this one
                .expectSubscription()
                .then(() -> feed.publish(changes)) // this one reads it a moment later
                .expectNext(3L)
                .thenCancel().verify(WAIT);
        StepVerifier.create(feed.subscribe(ALL, new ChangePosition(1, 1, 0), ORDER_ID))
                .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.CURSOR_EXPIRED))
                .verify(WAIT);
    }

    @Test
    void aSubscriberReadsTheNextListOnlyOnceItsTransportTookThePreviousAndAReadStepAtMost() {
        ChangeFeed feed = Changes.feed();
        feed.publish(inserts(0, 1, 1));
        ChangePosition start = feed.newestPosition();
        feed.publish(inserts(1, 600, 1));

        StepVerifier.create(feed.subscribe(ALL, start, ORDER_ID), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(1).assertNext(list -> assertThat(list).hasSize(FeedSubscriber.READ_STEP).first().isEqualTo(1L))
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(1).assertNext(list -> assertThat(list).hasSize(FeedSubscriber.READ_STEP).first().isEqualTo(257L))
                .thenRequest(1).assertNext(list -> assertThat(list).hasSize(88).last().isEqualTo(600L))
                .thenCancel().verify(WAIT);
    }

    @Test
    void unrolledOneChangePerMessageAClientGetsOnlyWhatItAsksFor() {
        ChangeFeed feed = Changes.feed();
        feed.publish(inserts(0, 1, 1));
        ChangePosition start = feed.newestPosition();
        feed.publish(inserts(1, 10, 1));

        StepVerifier.create(each(feed.subscribe(ALL, start, ORDER_ID)), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(2).expectNext(1L, 2L)
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(8).expectNext(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L)
                .thenCancel().verify(WAIT);
    }

    @Test
    void eachChangeHandedOverIsTimedFromItsCommitOnceAndWhatAViewDropsIsNot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChangeFeed feed = Changes.feed(Changes.QUIET, 20_000, 20_000, 1000, DataSize.ofMegabytes(1), new Changes.MemoryStore(), registry);
        Instant committed = Instant.now().minusSeconds(5);
        List<CapturedChange> changes = inserts(1, 4, 1).stream()
                .map(c -> new CapturedChange(c.before(), c.after(), c.position(), committed)).toList();

        StepVerifier.create(each(feed.subscribe(ALL, null, Changes.view(change -> change.change().orderId() % 2 == 0 ? change.change().orderId() : null))))
                .then(() -> feed.publish(changes))
                .expectNext(2L, 4L)
                .thenCancel().verify(WAIT);
        Timer sendLag = registry.get("ordergraph.changes.send.lag").timer();
        assertThat(sendLag.count()).isEqualTo(2);
        assertThat(sendLag.totalTime(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(2 * 5.0); // from the commit, not the publish
    }

    @Test
    void aSubscriberThatFallsTooFarBehindIsCutOffWithSlowConsumerAfterWhatItHadReadAndOthersGoOn() {
        ChangeFeed feed = Changes.feed(2000, 500, 1000, DataSize.ofMegabytes(1), new Changes.MemoryStore());
        feed.publish(inserts(0, 1, 1));
        ChangePosition start = feed.newestPosition();

        StepVerifier.create(feed.subscribe(ALL, start, ORDER_ID), 0)
                .then(() -> feed.publish(inserts(1, 1000, 1))) // its client takes nothing meanwhile
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(list -> list.getLast() < 1000) // what it had read ahead for its transport before it was cut off
                .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.SLOW_CONSUMER))
                .verify(WAIT);
        StepVerifier.create(each(feed.subscribe(ALL, start, ORDER_ID)).take(1000)).expectNextCount(1000).verifyComplete();
    }

    @Test
    void aChangeOfOwnerWakesTheSubscribersOfBothOwnersAndNoOneElse() {
        ChangeFeed feed = Changes.feed();
        CapturedChange moved = new CapturedChange(row(9, 1), row(9, 2), new ChangePosition(8, 5000, 0), Instant.now());

        StepVerifier.create(each(feed.subscribe(new Route.ByOwner(1), null, ORDER_ID))).then(() -> feed.publish(List.of(moved)))
                .expectNext(9L).thenCancel().verify(WAIT);
        StepVerifier.create(each(feed.subscribe(new Route.ByOwner(2), feed.newestPosition(), ORDER_ID)))
                .then(() -> feed.publish(List.of(new CapturedChange(row(9, 2), row(9, 3), new ChangePosition(8, 5001, 0), Instant.now()))))
                .expectNext(9L).thenCancel().verify(WAIT);
        StepVerifier.create(each(feed.subscribe(new Route.ByOwner(4), null, ORDER_ID)))
                .then(() -> feed.publish(List.of(new CapturedChange(row(9, 3), row(9, 1), new ChangePosition(8, 5002, 0), Instant.now()))))
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel().verify(WAIT);
    }

    @Test
    void aRestartedFeedRestoresItsWindowSoCursorsAndRedeliveryStillWork() {
        Changes.MemoryStore store = new Changes.MemoryStore();
        ChangeFeed before = Changes.feed(20_000, 20_000, 1000, DataSize.ofMegabytes(1), store);
        List<CapturedChange> changes = inserts(1, 5, 1);
        before.publish(changes);
        before.stop();

        ChangeFeed after = Changes.feed(20_000, 20_000, 1000, DataSize.ofMegabytes(1), store);
        StepVerifier.create(each(after.subscribe(ALL, changes.get(2).position(), ORDER_ID)))
                .expectNext(4L, 5L)
                .then(() -> after.publish(List.of(changes.get(4), inserts(6, 1, 1).getFirst()))) // the engine redelivers its last batch
                .expectNext(6L)
                .thenCancel().verify(WAIT);
        assertThat(store.stored).extracting(SequencedChange::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aStoppingFeedCompletesItsSubscribers() {
        ChangeFeed feed = Changes.feed();
        StepVerifier.create(feed.subscribe(ALL, null, ORDER_ID))
                .then(feed::stop)
                .verifyComplete();
    }
}
