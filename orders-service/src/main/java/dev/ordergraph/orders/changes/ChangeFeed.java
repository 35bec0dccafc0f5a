package dev.ordergraph.orders.changes;

import dev.ordergraph.orders.generated.types.OrderChange;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.security.Viewer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import jakarta.annotation.PreDestroy;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Fans committed changes out to the subscriptions they concern. Each event is decoded once and kept
 * once, in a bounded window (a ring by sequence) that every subscriber reads at its own pace and
 * from which a client resumes with {@code after: cursor}. An event wakes only the subscribers
 * indexed under its order id, its old and new owner, and staff: its cost grows with the
 * subscribers it matches, not with all subscribers.
 */
@Component
public class ChangeFeed {

    private final CdcProperties properties;
    private final ReentrantLock lock = new ReentrantLock();
    /** The window: the event with sequence {@code s} is at {@code s % length} while {@code s >= oldest}. */
    private final OrderChangeEvent[] window;
    private long oldest = 1;
    /** The window by change identity: finds a resume cursor and recognises redelivered changes. */
    private final Map<ChangePosition, Long> sequenceOf = new HashMap<>();
    private final Map<ChangeSubscriber.Route, Set<ChangeSubscriber<?>>> routes = new ConcurrentHashMap<>();
    private final Counter events;
    private final Counter duplicates;
    private final Timer commitToPublish;
    private final Timer commitToSend;
    private long sequence;
    private volatile Instant lastEventAt;
    /** Hands events to clients on virtual threads, so a client's blocking write never holds the feed. */
    private final Scheduler delivery = Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor(), "order-changes");

    public ChangeFeed(CdcProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.window = new OrderChangeEvent[properties.replayWindow()];
        this.events = Counter.builder("ordergraph.changes.events").description("Order changes published to subscribers").register(registry);
        this.duplicates = Counter.builder("ordergraph.changes.duplicates").description("Redelivered changes dropped").register(registry);
        this.commitToPublish = Timer.builder("ordergraph.changes.lag").description("From commit to publish to subscribers")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.commitToSend = Timer.builder("ordergraph.changes.send.lag")
                .description("From commit to hand-over to a subscriber's transport (WebSocket or SSE), per subscriber; includes replays of after:")
                .publishPercentiles(0.5, 0.99).register(registry);
        registry.gauge("ordergraph.subscriptions.active", routes, r -> r.values().stream().mapToInt(Set::size).sum());
    }

    /** Called once at start with the window the previous process left (oldest first). */
    void restore(List<OrderChangeEvent> recent) {
        lock.lock();
        try {
            for (OrderChangeEvent event : recent) {
                if (sequence == 0) {
                    oldest = event.sequence();
                }
                sequence = event.sequence() - 1;
                append(event);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes a batch in commit order and returns the changes that were new; repeats of changes
     * still in the window (the engine's redelivery) are dropped.
     */
    List<OrderChangeEvent> publish(List<OrderChangeEvent> batch) {
        List<OrderChangeEvent> published = new ArrayList<>(batch.size());
        lock.lock();
        try {
            for (OrderChangeEvent decoded : batch) {
                if (sequenceOf.containsKey(decoded.position())) {
                    duplicates.increment();
                    continue;
                }
                OrderChangeEvent event = decoded.sequenced(sequence + 1);
                append(event);
                published.add(event);
                route(event);
                events.increment();
                commitToPublish.record(Duration.between(event.committedAt(), Instant.now()));
            }
            if (!batch.isEmpty()) {
                lastEventAt = Instant.now();
            }
            return published;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The position of the newest change published, {@code null} before the first. A client that reads it
     * before reading orders and subscribes {@code after} it misses nothing committed after its read.
     */
    ChangePosition newestPosition() {
        lock.lock();
        try {
            return sequence >= oldest ? window[(int) (sequence % window.length)].position() : null;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence of the oldest change still in the window, or the next one when it is empty. */
    long oldestSequence() {
        lock.lock();
        try {
            return oldest;
        } finally {
            lock.unlock();
        }
    }

    Instant lastEventAt() {
        return lastEventAt;
    }

    /**
     * Opens a subscription that sends one change per message. Registration and the position it
     * starts reading from are fixed under the publishing lock, so no change falls between them:
     * each is delivered once, from the window (replay of {@code after}) or live.
     */
    public Flux<ChangeSubscriber.Delivery> subscribe(ChangeSubscriber.Route route, Viewer viewer,
                                                     Predicate<OrderRow> filter, ChangePosition after) {
        return subscribe(route, viewer, filter, after, new ChangeSubscriber.Packing.OnePerMessage())
                .doOnNext(this::recordSent);
    }

    /**
     * Opens a subscription that sends what has accumulated for it, in batches within the configured
     * bounds; otherwise as {@link #subscribe(ChangeSubscriber.Route, Viewer, Predicate, ChangePosition)}.
     */
    public Flux<List<ChangeSubscriber.Delivery>> subscribeBatches(ChangeSubscriber.Route route, Viewer viewer,
                                                                  Predicate<OrderRow> filter, ChangePosition after) {
        var packing = new ChangeSubscriber.Packing.Batches(properties.batchMaxChanges(), properties.batchMaxBytes().toBytes());
        return subscribe(route, viewer, filter, after, packing).doOnNext(batch -> batch.forEach(this::recordSent));
    }

    private <T> Flux<T> subscribe(ChangeSubscriber.Route route, Viewer viewer, Predicate<OrderRow> filter,
                                  ChangePosition after, ChangeSubscriber.Packing<T> packing) {
        lock.lock();
        try {
            long first = (after == null ? sequence : replayStart(after)) + 1;
            List<ChangeSubscriber<?>> self = new ArrayList<>(1);
            ChangeSubscriber<T> subscriber = new ChangeSubscriber<>(this, viewer, route, filter, packing, first, first <= sequence,
                    Math.min(properties.maxLag(), window.length), () -> unregister(self.getFirst()));
            self.add(subscriber);
            routes.compute(route, (r, set) -> {
                Set<ChangeSubscriber<?>> subscribers = set != null ? set : ConcurrentHashMap.newKeySet();
                subscribers.add(subscriber);
                return subscribers;
            });
            return subscriber.flux(delivery);
        } finally {
            lock.unlock();
        }
    }

    private void recordSent(ChangeSubscriber.Delivery sent) {
        commitToSend.record(Duration.between(sent.change().getCommittedAt().toInstant(), Instant.now()));
    }

    /** Up to {@code max} events for {@code route} from a subscriber's reading position. */
    record Slice(List<OrderChangeEvent> events, long next, boolean more) {
    }

    /**
     * The events from sequence {@code from} on that concern {@code route}, at most {@code max};
     * {@code null} when {@code from} has already left the window.
     */
    Slice read(ChangeSubscriber.Route route, long from, int max) {
        lock.lock();
        try {
            if (from < oldest) {
                return null;
            }
            List<OrderChangeEvent> found = new ArrayList<>(Math.min(max, 64));
            long at = from;
            for (; at <= sequence && found.size() < max; at++) {
                OrderChangeEvent event = window[(int) (at % window.length)];
                if (event != null && event.sequence() == at && concerns(route, event)) {
                    found.add(event);
                }
            }
            return new Slice(found, at, at <= sequence);
        } finally {
            lock.unlock();
        }
    }

    /** Completes every subscription, e.g. on shutdown, so clients know to resume elsewhere. */
    void completeAll() {
        routes.values().forEach(set -> List.copyOf(set).forEach(ChangeSubscriber::complete));
    }

    @PreDestroy
    void stopDelivery() {
        delivery.dispose();
    }

    /** The sequence after which to replay for {@code after}, or {@code CURSOR_EXPIRED}. */
    private long replayStart(ChangePosition after) {
        Long known = sequenceOf.get(after);
        if (known != null) {
            return known;
        }
        throw new ApiException(ErrorCode.CURSOR_EXPIRED,
                "This cursor is older than the changes the service still holds; subscribe again without 'after'.");
    }

    /** Adds {@code event} (the next sequence) to the window, dropping the oldest when it is full. */
    private void append(OrderChangeEvent event) {
        int slot = (int) (event.sequence() % window.length);
        OrderChangeEvent evicted = window[slot];
        if (evicted != null) {
            sequenceOf.remove(evicted.position());
            oldest = evicted.sequence() + 1;
        }
        window[slot] = event;
        sequenceOf.put(event.position(), event.sequence());
        sequence = event.sequence();
    }

    private void route(OrderChangeEvent event) {
        Set<ChangeSubscriber<?>> targets = new LinkedHashSet<>();
        addAll(targets, new ChangeSubscriber.Route.ByOrder(event.orderId()));
        if (event.before() != null) {
            addAll(targets, new ChangeSubscriber.Route.ByOwner(event.before().userId()));
        }
        if (event.after() != null) {
            addAll(targets, new ChangeSubscriber.Route.ByOwner(event.after().userId()));
        }
        addAll(targets, new ChangeSubscriber.Route.All());
        for (ChangeSubscriber<?> subscriber : targets) {
            subscriber.wake(event.sequence(), sequence);
        }
    }

    private static boolean concerns(ChangeSubscriber.Route route, OrderChangeEvent event) {
        return switch (route) {
            case ChangeSubscriber.Route.ByOrder byOrder -> byOrder.orderId() == event.orderId();
            case ChangeSubscriber.Route.ByOwner byOwner -> (event.before() != null && event.before().userId() == byOwner.userId())
                    || (event.after() != null && event.after().userId() == byOwner.userId());
            case ChangeSubscriber.Route.All all -> true;
        };
    }

    private void addAll(Set<ChangeSubscriber<?>> targets, ChangeSubscriber.Route route) {
        Set<ChangeSubscriber<?>> subscribers = routes.get(route);
        if (subscribers != null) {
            targets.addAll(subscribers);
        }
    }

    private void unregister(ChangeSubscriber<?> subscriber) {
        // Atomic per route, so an empty set is dropped without racing a new subscriber's compute().
        routes.computeIfPresent(subscriber.route(), (route, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }
}
