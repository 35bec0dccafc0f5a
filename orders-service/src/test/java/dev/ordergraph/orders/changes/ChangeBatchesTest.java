package dev.ordergraph.orders.changes;

import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.platform.security.Viewer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Batches read from the feed's window: bounded, each change once, in order, as the client asks. */
class ChangeBatchesTest {

    private static final Viewer STAFF = new Viewer(99, true);
    private static final ChangeSubscriber.Route ALL = new ChangeSubscriber.Route.All();

    private static ChangeFeed feed(int maxChanges, DataSize maxBytes) {
        CdcProperties properties = new CdcProperties(true, "s", "p", Duration.ofMillis(10), Duration.ofSeconds(10), "t",
                20_000, 20_000, Duration.ofSeconds(2), Duration.ofMillis(200), maxChanges, maxBytes);
        return new ChangeFeed(properties, new SimpleMeterRegistry());
    }

    private static List<OrderChangeEvent> inserts(long firstId, int count, long owner) {
        List<OrderChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            OrderRow row = new OrderRow(id, LocalDate.of(2026, 1, 1), OrderState.UNPAID, owner);
            events.add(new OrderChangeEvent(ChangeAction.CREATED, null, row, new ChangePosition(7, 1000 + id, 0), Instant.now(), 0));
        }
        return events;
    }

    private static List<Long> ids(List<ChangeSubscriber.Delivery> batch) {
        return batch.stream().map(d -> dev.ordergraph.platform.relay.GlobalId.decode(d.change().getOrder().getId(), "Order")).toList();
    }

    @Test
    void whatAccumulatedBeforeTheClientAskedComesInBatchesWithinTheBoundInOrder() {
        ChangeFeed feed = feed(100, DataSize.ofMegabytes(1));
        ChangePosition start = inserts(0, 1, 1).getFirst().position();
        feed.publish(inserts(0, 1, 1));
        feed.publish(inserts(1, 250, 1)); // published before the subscriber asks for anything

        StepVerifier.create(feed.subscribeBatches(ALL, STAFF, row -> true, start), 0)
                .thenRequest(1).assertNext(batch -> assertThat(ids(batch)).hasSize(100).first().isEqualTo(1L))
                .thenRequest(1).assertNext(batch -> assertThat(ids(batch)).hasSize(100).first().isEqualTo(101L))
                .thenRequest(1).assertNext(batch -> assertThat(ids(batch)).hasSize(50).first().isEqualTo(201L))
                .thenRequest(1).expectNoEvent(Duration.ofMillis(100))
                .then(() -> feed.publish(inserts(251, 1, 1)))
                .assertNext(batch -> assertThat(ids(batch)).containsExactly(251L)) // a lone change goes at once
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void theByteBoundClosesABatchEarlyButAlwaysTakesOneChange() {
        ChangeFeed feed = feed(1000, DataSize.ofBytes(1));
        ChangePosition start = inserts(0, 1, 1).getFirst().position();
        feed.publish(inserts(0, 1, 1));
        feed.publish(inserts(1, 3, 1));

        StepVerifier.create(feed.subscribeBatches(ALL, STAFF, row -> true, start), 0)
                .thenRequest(3)
                .assertNext(batch -> assertThat(ids(batch)).containsExactly(1L))
                .assertNext(batch -> assertThat(ids(batch)).containsExactly(2L))
                .assertNext(batch -> assertThat(ids(batch)).containsExactly(3L))
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void aViewerBatchHoldsOnlyTheirOwnOrdersAndResumesAfterAnyChangeInside() {
        ChangeFeed feed = feed(10, DataSize.ofMegabytes(1));
        List<OrderChangeEvent> mixed = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            mixed.addAll(inserts(i, 1, i % 2 == 0 ? 5 : 6)); // even ids belong to user 5
        }
        ChangePosition start = inserts(0, 1, 5).getFirst().position();
        feed.publish(inserts(0, 1, 5));
        feed.publish(mixed);
        Viewer five = new Viewer(5, false);
        ChangeSubscriber.Route own = new ChangeSubscriber.Route.ByOwner(5);

        StepVerifier.create(feed.subscribeBatches(own, five, row -> true, start), 0)
                .thenRequest(1).assertNext(batch -> assertThat(ids(batch)).containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L))
                .thenCancel().verify(Duration.ofSeconds(5));
        ChangePosition middle = mixed.get(7).position(); // id 8
        StepVerifier.create(feed.subscribeBatches(own, five, row -> true, middle), 0)
                .thenRequest(1).assertNext(batch -> assertThat(ids(batch)).containsExactly(10L, 12L, 14L, 16L, 18L, 20L))
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void batchBoundsMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ChangeSubscriber.Packing.Batches(0, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
