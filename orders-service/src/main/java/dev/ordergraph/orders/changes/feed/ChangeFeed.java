package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.ChangeSource;
import dev.ordergraph.orders.changes.tracing.ChangeSpans;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.SpanKind;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.ToLongFunction;

/**
 * Takes the changes its {@link ChangeSource} captures, numbers them in commit order, keeps each once in
 * the {@link ChangeWindow} (and on disk, so the window outlives a restart), and wakes only the
 * subscribers indexed under a change's order, its old and new owner, and staff: the cost of a change
 * grows with the subscribers it matches, not with all subscribers. What a subscriber makes of a change
 * (visibility, filters, the payload) is the caller's view; the feed knows nothing of GraphQL.
 */
@Component
public class ChangeFeed implements SmartLifecycle {

    /** How long a replica reading a shared topic looks for a resume cursor it has not read yet. */
    private static final Duration CURSOR_WAIT = Duration.ofSeconds(2);
    /** The stored window is trimmed once this many changes have left the one in memory. */
    private static final int TRIM_EVERY = 1000;

    private final ChangeSource source;
    private final ChangeLogStore store;
    private final CdcProperties properties;
    private final ChangeWindow window;
    private final ChangeSpans spans;
    private final Map<Route, Set<FeedSubscriber<?>>> subscribers = new ConcurrentHashMap<>();
    /** Subscribers holding a delivery back until more of its transaction is captured (see FeedSubscriber). */
    private final Set<FeedSubscriber<?>> waiting = ConcurrentHashMap.newKeySet();
    private final Counter events;
    private final Counter duplicates;
    private final Timer commitToPublish;
    private final Timer commitToSend;
    private final Counter slowConsumers;
    /** Hands changes to clients on virtual threads, so a client's blocking write never holds the feed. */
    private final Scheduler delivery = Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor(), "order-changes");
    /** Changes below this sequence are gone from the stored window (the source's thread only). */
    private long trimmedBelow;
    private volatile boolean running;

    public ChangeFeed(ChangeSource source, ChangeLogStore store, CdcProperties properties, MeterRegistry registry, ChangeSpans spans) {
        this.source = source;
        this.spans = spans;
        this.store = store;
        this.properties = properties;
        this.window = new ChangeWindow(properties.replayWindow());
        this.events = Counter.builder("ordergraph.changes.events").description("Order changes published to subscribers").register(registry);
        this.duplicates = Counter.builder("ordergraph.changes.duplicates").description("Redelivered changes dropped").register(registry);
        this.commitToPublish = Timer.builder("ordergraph.changes.lag").description("From commit to publish to subscribers")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.commitToSend = Timer.builder("ordergraph.changes.send.lag")
                .description("From commit to hand-over to a subscriber's transport (WebSocket or SSE), per subscriber; includes replays of after:")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.slowConsumers = Counter.builder("ordergraph.subscriptions.slow_consumers")
                .description("Subscriptions cut off as SLOW_CONSUMER: they fell too far behind the changes").register(registry);
        registry.gauge("ordergraph.subscriptions.active", subscribers, s -> s.values().stream().mapToInt(Set::size).sum());
    }

    /** Restores the window the previous process left (unless the source keeps it), then starts capturing. */
    @Override
    public void start() {
        running = true;
        if (!source.durable()) {
            window.restore(store.loadRecent(properties.replayWindow()));
            trimmedBelow = window.oldest();
        }
        source.start(this::publish);
    }

    /** Stops capturing, then completes every subscription so clients know to resume elsewhere. */
    @Override
    public void stop() {
        source.stop();
        subscribers.values().forEach(set -> List.copyOf(set).forEach(FeedSubscriber::complete));
        delivery.dispose();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stop before the web server's graceful shutdown (phase MAX - 1024), so subscribers see completion.
        return Integer.MAX_VALUE - 2048;
    }

    /**
     * One captured batch, in commit order: new changes go to their subscribers first (latency), then to
     * the stored window (unless the source keeps it), before the source acknowledges the batch. Repeats of changes the window still
     * holds (the source's redelivery after a restart) are dropped. Subscribers that were waiting for more
     * of a transaction read again once the whole batch is in. Traced, each transaction's span ends there.
     */
    void publish(List<CapturedChange> captured) {
        ChangeSpans.Batch traced = spans.captured(source.durable() ? "order-change receive" : "order-change capture",
                SpanKind.CONSUMER, captured);
        List<CapturedChange> batch = traced.changes();
        List<SequencedChange> published = new ArrayList<>(batch.size());
        window.locked(() -> {
            for (CapturedChange change : batch) {
                SequencedChange sequenced = window.append(change);
                if (sequenced == null) {
                    duplicates.increment();
                    continue;
                }
                published.add(sequenced);
                wake(sequenced);
                events.increment();
                commitToPublish.record(Duration.between(change.committedAt(), Instant.now()));
            }
            return null;
        });
        resumeWaiting();
        traced.end();
        if (!published.isEmpty() && !source.durable()) {
            store.append(published);
            long oldest = window.oldest();
            if (oldest - trimmedBelow > TRIM_EVERY) {
                store.trimThrough(oldest - 1); // forget what fell out of the window, a thousand at a time
                trimmedBelow = oldest;
            }
        }
    }

    private void resumeWaiting() {
        if (!waiting.isEmpty()) {
            for (FeedSubscriber<?> subscriber : List.copyOf(waiting)) {
                waiting.remove(subscriber);
                subscriber.resume();
            }
        }
    }

    /**
     * The position of the newest change published, {@code null} before the first. A client that reads it
     * before reading orders and subscribes {@code after} it misses nothing committed after its read.
     */
    public ChangePosition newestPosition() {
        return window.newestPosition();
    }

    /**
     * Opens a subscription whose edge sends one change per message, starting after {@code after}
     * (replayed from the window) or, without it, with the next change. Like every subscription it
     * receives lists, here of up to a read step each, for the edge to unroll. Registration and the
     * position it starts reading from are fixed under the window's lock, so no change falls between them.
     *
     * @param view what the subscriber makes of a change (visibility, filter, payload)
     * @throws ApiException {@code CURSOR_EXPIRED} when the window no longer holds {@code after}
     */
    public <D> Flux<List<D>> subscribe(Route route, ChangePosition after, SubscriberView<D> view) {
        return open(route, after, view, BatchBounds.perChange());
    }

    /**
     * Opens a subscription that sends what has accumulated for it, in batches within the configured
     * bounds, or fewer changes when {@code maxChanges} asks for less ({@code bytes} estimates a
     * delivery's size); otherwise as {@link #subscribe}. A batch keeps each transaction whole unless the
     * transaction alone outgrows the bounds.
     */
    public <D> Flux<List<D>> subscribeBatches(Route route, ChangePosition after, SubscriberView<D> view,
                                               ToLongFunction<D> bytes, int maxChanges) {
        return open(route, after, view,
                new BatchBounds<>(Math.min(maxChanges, properties.batchMaxChanges()), properties.batchMaxBytes().toBytes(), bytes, true));
    }

    private <D> Flux<List<D>> open(Route route, ChangePosition after, SubscriberView<D> view, BatchBounds<D> bounds) {
        if (after == null || !source.durable()) {
            return register(route, after, view, bounds);
        }
        // Read from a shared topic, this replica may not have reached a cursor another replica issued a
        // moment ago (a client failing over): look for it a little longer before calling it expired.
        return Flux.defer(() -> register(route, after, view, bounds))
                .retryWhen(Retry.fixedDelay(CURSOR_WAIT.toMillis() / 50, Duration.ofMillis(50))
                        .filter(e -> e instanceof ApiException api && api.code() == ErrorCode.CURSOR_EXPIRED)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    private <D> Flux<List<D>> register(Route route, ChangePosition after, SubscriberView<D> view, BatchBounds<D> bounds) {
        FeedSubscriber<D> subscriber = window.locked(() -> {
            long newest = window.newest();
            long first = (after == null ? newest : replayStart(after)) + 1;
            FeedSubscriber<D> created = new FeedSubscriber<>(window, route, view, bounds, first, first <= newest,
                    Math.min(properties.maxLag(), window.capacity()), commitToSend, slowConsumers, waiting::add, spans);
            subscribers.compute(route, (r, set) -> {
                Set<FeedSubscriber<?>> indexed = set != null ? set : ConcurrentHashMap.newKeySet();
                indexed.add(created);
                return indexed;
            });
            return created;
        });
        return subscriber.flux(delivery).doFinally(signal -> forget(subscriber));
    }

    /** The sequence after which to replay for {@code after}, or {@code CURSOR_EXPIRED}. */
    private long replayStart(ChangePosition after) {
        Long known = window.sequenceOf(after);
        if (known != null) {
            return known;
        }
        throw new ApiException(ErrorCode.CURSOR_EXPIRED,
                "This cursor is older than the changes the service still holds; subscribe again without 'after'.");
    }

    /** Wakes the subscribers {@code change} may concern (under the window's lock, in commit order). */
    private void wake(SequencedChange change) {
        Set<FeedSubscriber<?>> targets = new LinkedHashSet<>();
        for (Route route : Route.of(change.change())) {
            Set<FeedSubscriber<?>> indexed = subscribers.get(route);
            if (indexed != null) {
                targets.addAll(indexed);
            }
        }
        long newest = window.newest();
        for (FeedSubscriber<?> subscriber : targets) {
            if (subscriber.closed()) {
                forget(subscriber); // cut off before its client ever subscribed
            } else {
                subscriber.wake(change.sequence(), newest);
            }
        }
    }

    private void forget(FeedSubscriber<?> subscriber) {
        waiting.remove(subscriber);
        // Atomic per route, so an empty set is dropped without racing a new subscriber's compute().
        subscribers.computeIfPresent(subscriber.route(), (route, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }
}
