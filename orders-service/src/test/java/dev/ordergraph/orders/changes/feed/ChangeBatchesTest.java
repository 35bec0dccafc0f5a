package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.ordergraph.orders.changes.feed.Changes.inserts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batches read from the feed's window: bounded, each change once, in order, as the client asks. */
class ChangeBatchesTest {

    private static final Route ALL = new Route.All();

    private static ChangeFeed feed(int maxChanges, DataSize maxBytes) {
        return Changes.feed(20_000, 20_000, maxChanges, maxBytes, new Changes.MemoryStore());
    }

    private static Flux<List<Long>> batches(ChangeFeed feed, Route route, ChangePosition after) {
        return batches(feed, route, after, Integer.MAX_VALUE);
    }

    private static Flux<List<Long>> batches(ChangeFeed feed, Route route, ChangePosition after, int maxChanges) {
        return feed.subscribeBatches(route, after, Changes.ORDER_ID, id -> 200, maxChanges);
    }

    @Test
    void aSubscriberMayAskForSmallerBatchesThanTheBoundButNeverLarger() {
        ChangeFeed feed = feed(100, DataSize.ofMegabytes(1));
        ChangePosition start = inserts(0, 1, 1).getFirst().position();
        feed.publish(inserts(0, 1, 1));
        feed.publish(inserts(1, 250, 1));

        StepVerifier.create(batches(feed, ALL, start, 30), 0)
                .thenRequest(1).assertNext(batch -> assertThat(batch).hasSize(30).first().isEqualTo(1L))
                .thenRequest(1).assertNext(batch -> assertThat(batch).hasSize(30).first().isEqualTo(31L))
                .thenCancel().verify(Duration.ofSeconds(5));
        StepVerifier.create(batches(feed, ALL, start, 5_000), 0)
                .thenRequest(1).assertNext(batch -> assertThat(batch).hasSize(100))
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void whatAccumulatedBeforeTheClientAskedComesInBatchesWithinTheBoundInOrder() {
        ChangeFeed feed = feed(100, DataSize.ofMegabytes(1));
        ChangePosition start = inserts(0, 1, 1).getFirst().position();
        feed.publish(inserts(0, 1, 1));
        feed.publish(inserts(1, 250, 1)); // published before the subscriber asks for anything

        StepVerifier.create(batches(feed, ALL, start), 0)
                .thenRequest(1).assertNext(batch -> assertThat(batch).hasSize(100).first().isEqualTo(1L))
                .thenRequest(1).assertNext(batch -> assertThat(batch).hasSize(100).first().isEqualTo(101L))
                .thenRequest(1).assertNext(batch -> assertThat(batch).hasSize(50).first().isEqualTo(201L))
                .thenRequest(1).expectNoEvent(Duration.ofMillis(100))
                .then(() -> feed.publish(inserts(251, 1, 1)))
                .assertNext(batch -> assertThat(batch).containsExactly(251L)) // a lone change goes at once
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void theByteBoundClosesABatchEarlyButAlwaysTakesOneChange() {
        ChangeFeed feed = feed(1000, DataSize.ofBytes(1));
        ChangePosition start = inserts(0, 1, 1).getFirst().position();
        feed.publish(inserts(0, 1, 1));
        feed.publish(inserts(1, 3, 1));

        StepVerifier.create(batches(feed, ALL, start), 0)
                .thenRequest(3)
                .assertNext(batch -> assertThat(batch).containsExactly(1L))
                .assertNext(batch -> assertThat(batch).containsExactly(2L))
                .assertNext(batch -> assertThat(batch).containsExactly(3L))
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void anOwnersBatchHoldsOnlyTheirOrdersAndResumesAfterAnyChangeInside() {
        ChangeFeed feed = feed(10, DataSize.ofMegabytes(1));
        List<CapturedChange> mixed = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            mixed.addAll(inserts(i, 1, i % 2 == 0 ? 5 : 6)); // even ids belong to user 5
        }
        ChangePosition start = inserts(0, 1, 5).getFirst().position();
        feed.publish(inserts(0, 1, 5));
        feed.publish(mixed);
        Route own = new Route.ByOwner(5);

        StepVerifier.create(batches(feed, own, start), 0)
                .thenRequest(1).assertNext(batch -> assertThat(batch).containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L))
                .thenCancel().verify(Duration.ofSeconds(5));
        ChangePosition middle = mixed.get(7).position(); // id 8
        StepVerifier.create(batches(feed, own, middle), 0)
                .thenRequest(1).assertNext(batch -> assertThat(batch).containsExactly(10L, 12L, 14L, 16L, 18L, 20L))
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void aBatchSubscriberWhoseTransportTakesNothingFallsBehindAndIsCutOffWithSlowConsumer() {
        ChangeFeed feed = Changes.feed(2000, 500, 100, DataSize.ofMegabytes(1), new Changes.MemoryStore());
        feed.publish(inserts(0, 1, 1));
        ChangePosition start = feed.newestPosition();

        StepVerifier.create(batches(feed, ALL, start), 0)
                .then(() -> feed.publish(inserts(1, 1000, 1))) // accumulating in the window, unread: 500 behind is too far
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(batch -> batch.size() <= 100) // the one batch read ahead for its transport
                .expectErrorSatisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.SLOW_CONSUMER))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(batches(feed, ALL, start).take(10)) // a subscriber that reads on keeps up, whatever the others do
                .expectNextCount(10)
                .verifyComplete();
    }

    @Test
    void batchBoundsMustBePositive() {
        assertThatThrownBy(() -> new BatchBounds<Long>(0, 10, id -> 1, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchBounds<Long>(10, 0, id -> 1, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
