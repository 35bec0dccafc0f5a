package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.feed.ChangeFeed;
import dev.ordergraph.orders.changes.feed.Route;
import dev.ordergraph.orders.order.OrderRow;
import com.netflix.graphql.dgs.DgsComponent;
import com.netflix.graphql.dgs.DgsDataFetchingEnvironment;
import com.netflix.graphql.dgs.DgsSubscription;
import com.netflix.graphql.dgs.InputArgument;
import dev.ordergraph.orders.generated.DgsConstants;
import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.OrderChange;
import dev.ordergraph.orders.generated.types.OrderChangeBatch;
import dev.ordergraph.orders.generated.types.OrderFilter;
import dev.ordergraph.orders.order.OrderKeyset;
import dev.ordergraph.orders.order.OrderRepository;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.security.Viewer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The subscriptions: every event comes from the change feed, none from polling. */
@DgsComponent
public class OrderChangeSubscriptions {

    private final ChangeFeed feed;
    private final ChangeCursors cursors;
    private final NewestOrderQuery newestOrder;
    private final OrderRepository orders;

    public OrderChangeSubscriptions(ChangeFeed feed, ChangeCursors cursors, NewestOrderQuery newestOrder, OrderRepository orders) {
        this.feed = feed;
        this.cursors = cursors;
        this.newestOrder = newestOrder;
        this.orders = orders;
    }

    /**
     * Changes of one order. An order that does not exist, or that the viewer may not see, ends the
     * subscription at once with {@code NOT_FOUND}, the same for both (existence does not leak) instead of
     * holding a stream open for nothing; once open, an order that moves out of the viewer's sight arrives
     * as {@code DELETED}, as in {@code orderChanges}.
     */
    @DgsSubscription
    public Publisher<OrderChange> orderChanged(@InputArgument String id, @InputArgument String after, DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        long orderId = GlobalId.decode(id, DgsConstants.ORDER.TYPE_NAME);
        ChangePosition position = cursors.parse(after);
        return Mono.fromCallable(() -> orders.findById(orderId).filter(order -> viewer.canSee(order.getUserId())).isPresent())
                .subscribeOn(Schedulers.boundedElastic()) // a blocking read, off the WebSocket's thread
                .flatMapMany(visible -> visible
                        ? oneByOne(feed.subscribe(new Route.ByOrder(orderId), position, new ChangeView(viewer, row -> true, cursors)))
                        : Flux.<ChangeView.Delivery>error(new ApiException(ErrorCode.NOT_FOUND, "There is no order with this ID that you may see.")))
                .map(ChangeView.Delivery::change);
    }

    @DgsSubscription
    public Publisher<OrderChange> orderChanges(@InputArgument OrderFilter filter, @InputArgument String after, DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        return oneByOne(feed.subscribe(routeOf(viewer, filter), cursors.parse(after), new ChangeView(viewer, OrderRowFilter.of(filter), cursors)))
                .map(ChangeView.Delivery::change);
    }

    /**
     * The feed's lists, one change per message. One list at a time (prefetch 1): the feed reads the
     * next only once this one's changes went to the client, so what waits for a slow client stays
     * bounded and the feed's lag rule sees how far behind the client really is.
     */
    private static <D> Flux<D> oneByOne(Flux<List<D>> lists) {
        return lists.flatMapIterable(list -> list, 1);
    }

    /**
     * {@code orderChanges} grouped: one message, and one entity fetch at the gateway, per batch instead
     * of per change, which is what lets a 10,000-row {@code UPDATE} reach a dashboard in one second.
     */
    @DgsSubscription
    public Publisher<OrderChangeBatch> orderChangeBatches(@InputArgument OrderFilter filter, @InputArgument String after,
                                                          @InputArgument Integer maxChanges, DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        if (maxChanges != null && maxChanges < 1) {
            throw new ApiException(ErrorCode.BAD_USER_INPUT, "maxChanges must be at least 1.");
        }
        return feed.subscribeBatches(routeOf(viewer, filter), cursors.parse(after),
                        new ChangeView(viewer, OrderRowFilter.of(filter), cursors), ChangeView.Delivery::estimatedBytes,
                        maxChanges == null ? Integer.MAX_VALUE : maxChanges)
                .map(OrderChangeSubscriptions::batch);
    }

    private static OrderChangeBatch batch(List<ChangeView.Delivery> deliveries) {
        List<OrderChange> changes = deliveries.stream().map(ChangeView.Delivery::change).toList();
        return OrderChangeBatch.newBuilder().changes(changes).cursor(changes.getLast().getCursor()).build();
    }

    /** Viewers are indexed by themselves; staff by the owner their filter pins, or not at all. */
    private static Route routeOf(Viewer viewer, OrderFilter filter) {
        Long owner = OrderRowFilter.owner(filter);
        return !viewer.staff() ? new Route.ByOwner(viewer.userId())
                : owner != null ? new Route.ByOwner(owner)
                : new Route.All();
    }

    /**
     * The seed's subscription: the newest visible order at once, then again whenever it changes or a
     * newer one appears. It subscribes to the feed before reading the database, and drops log events
     * the read already saw, so nothing is missed and nothing older follows something newer.
     */
    @DgsSubscription
    public Publisher<Order> getOrder(DgsDataFetchingEnvironment env) {
        Viewer viewer = Viewer.required(env);
        Route route = viewer.staff() ? new Route.All() : new Route.ByOwner(viewer.userId());
        Flux<ChangeView.Delivery> live = oneByOne(feed.subscribe(route, null, new ChangeView(viewer, row -> true, cursors)));
        return Mono.fromCallable(() -> newestOrder.newestVisibleTo(viewer))
                .flatMapMany(start -> {
                    AtomicReference<Order> current = new AtomicReference<>(start.newest() == null ? null : start.newest().toGraphQl());
                    Flux<Order> updates = live
                            .filter(delivery -> !start.snapshot().sees(delivery.txId()))
                            .concatMap(delivery -> next(current, delivery.change(), viewer));
                    return current.get() == null ? updates : Flux.concat(Mono.just(current.get()), updates);
                });
    }

    /** What {@code getOrder} sends after {@code change}, if anything. */
    private Mono<Order> next(AtomicReference<Order> current, OrderChange change, Viewer viewer) {
        Order shown = current.get();
        Order changed = change.getOrder();
        boolean sameOrder = shown != null && shown.getId().equals(changed.getId());
        if (change.getAction() == ChangeAction.DELETED) {
            if (!sameOrder) {
                return Mono.empty();
            }
            // The newest order went away: the next newest is only known to the database (rare).
            return Mono.fromCallable(() -> newestOrder.newestVisibleTo(viewer).newest())
                    .map(OrderRow::toGraphQl)
                    .doOnNext(current::set);
        }
        if (sameOrder || shown == null || keyset(changed).compareTo(keyset(shown)) > 0) {
            current.set(changed);
            return Mono.just(changed);
        }
        return Mono.empty();
    }

    private static OrderKeyset keyset(Order order) {
        return new OrderKeyset(order.getDate(), GlobalId.decode(order.getId(), DgsConstants.ORDER.TYPE_NAME));
    }
}
