package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.ChangeSource;
import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.changes.tracing.ChangeSpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A feed with an in-memory stored window and no real source, and changes to publish to it. */
final class Changes {

    private Changes() {
    }

    /** The stored window in memory: what a restarted feed restores from. */
    static final class MemoryStore extends ChangeLogStore {
        final List<SequencedChange> stored = new ArrayList<>();

        MemoryStore() {
            super(null);
        }

        @Override
        List<SequencedChange> loadRecent(int limit) {
            return List.copyOf(stored.subList(Math.max(0, stored.size() - limit), stored.size()));
        }

        @Override
        void append(List<SequencedChange> events) {
            stored.addAll(events);
        }

        @Override
        void trimThrough(long sequence) {
            stored.removeIf(change -> change.sequence() <= sequence);
        }
    }

    /** A source that hands nothing over by itself: the tests publish. */
    static final ChangeSource QUIET = new ChangeSource() {
        @Override
        public void start(Handler handler) {
        }

        @Override
        public void stop() {
        }
    };

    /** The same, keeping past changes itself, as a Kafka topic does. */
    static final ChangeSource DURABLE = new ChangeSource() {
        @Override
        public void start(Handler handler) {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean durable() {
            return true;
        }
    };

    static ChangeFeed feed(int window, int maxLag, int maxChanges, DataSize maxBytes, ChangeLogStore store) {
        return feed(QUIET, window, maxLag, maxChanges, maxBytes, store);
    }

    static ChangeFeed feed(ChangeSource source, int window, int maxLag, int maxChanges, DataSize maxBytes, ChangeLogStore store) {
        return feed(source, window, maxLag, maxChanges, maxBytes, store, new SimpleMeterRegistry());
    }

    static ChangeFeed feed(ChangeSource source, int window, int maxLag, int maxChanges, DataSize maxBytes, ChangeLogStore store,
                           MeterRegistry registry) {
        CdcProperties properties = new CdcProperties(true, "s", "p", Duration.ofMillis(10), Duration.ofSeconds(10), "t",
                window, maxLag, Duration.ofSeconds(2), Duration.ofMillis(200), maxChanges, maxBytes, null);
        ChangeFeed feed = new ChangeFeed(source, store, properties, registry, ChangeSpans.off());
        feed.start();
        return feed;
    }

    static ChangeFeed feed() {
        return feed(20_000, 20_000, 1000, DataSize.ofMegabytes(1), new MemoryStore());
    }

    static OrderImage row(long id, long owner) {
        return new OrderImage(id, LocalDate.of(2026, 1, 1), "UNPAID", owner);
    }

    /** Inserts of orders {@code firstId} on, each its own WAL record. */
    static List<CapturedChange> inserts(long firstId, int count, long owner) {
        List<CapturedChange> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            changes.add(new CapturedChange(null, row(id, owner), new ChangePosition(7, 1000 + id, 0), Instant.now()));
        }
        return changes;
    }

    /** The feed's lists one change at a time, as a per-change subscription's GraphQL edge sends them. */
    static <D> Flux<D> each(Flux<List<D>> lists) {
        return lists.flatMapIterable(list -> list, 1);
    }

    /** A view that shows what {@code delivery} makes of a change, and never marks a transaction's end. */
    static <D> SubscriberView<D> view(Function<SequencedChange, D> delivery) {
        return new SubscriberView<>() {
            @Override
            public D deliver(SequencedChange change) {
                return delivery.apply(change);
            }

            @Override
            public D endingTransaction(D delivered) {
                return delivered;
            }
        };
    }

    /** A view that takes every change and shows its order id. */
    static final SubscriberView<Long> ORDER_ID = view(change -> change.change().orderId());

    /** An order id as a view shows it, and whether it was the last change of its transaction for the subscriber. */
    record Seen(long orderId, boolean last) {
    }

    /** A view that takes the changes {@code wanted} accepts and says where transactions end. */
    static SubscriberView<Seen> seen(java.util.function.Predicate<CapturedChange> wanted) {
        return new SubscriberView<>() {
            @Override
            public Seen deliver(SequencedChange change) {
                return wanted.test(change.change()) ? new Seen(change.change().orderId(), false) : null;
            }

            @Override
            public Seen endingTransaction(Seen delivered) {
                return new Seen(delivered.orderId(), true);
            }
        };
    }

    /** Inserts of orders {@code firstId} on, all in transaction {@code txId}; the last ends it when {@code ends}. */
    static List<CapturedChange> transaction(long txId, long firstId, int count, long owner, boolean ends) {
        List<CapturedChange> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            changes.add(new CapturedChange(null, row(id, owner), new ChangePosition(txId, 1000 + id, 0), Instant.now(),
                    ChangeOrigin.OUTSIDE, ends && i == count - 1));
        }
        return changes;
    }
}
