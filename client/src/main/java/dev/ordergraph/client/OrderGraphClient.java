package dev.ordergraph.client;

import com.netflix.graphql.dgs.client.codegen.BaseProjectionNode;
import com.netflix.graphql.dgs.client.codegen.GraphQLQuery;
import com.netflix.graphql.dgs.client.codegen.GraphQLQueryRequest;
import dev.ordergraph.client.generated.client.ChangesCursorGraphQLQuery;
import dev.ordergraph.client.generated.client.OrderChangeBatchesGraphQLQuery;
import dev.ordergraph.client.generated.client.OrderChangeBatchesProjectionRoot;
import dev.ordergraph.client.generated.client.OrderChangesGraphQLQuery;
import dev.ordergraph.client.generated.client.OrderChangesProjectionRoot;
import dev.ordergraph.client.generated.client.OrdersGraphQLQuery;
import dev.ordergraph.client.generated.client.OrdersProjectionRoot;
import dev.ordergraph.client.generated.client.UpdateOrderGraphQLQuery;
import dev.ordergraph.client.generated.client.UpdateOrderProjectionRoot;
import dev.ordergraph.client.generated.types.OrderChange;
import dev.ordergraph.client.generated.types.OrderChangeBatch;
import dev.ordergraph.client.generated.types.OrderConnection;
import dev.ordergraph.client.generated.types.OrderFilter;
import dev.ordergraph.client.generated.types.OrderState;
import dev.ordergraph.client.generated.types.UpdateOrderInput;
import dev.ordergraph.client.generated.types.UpdateOrderPayload;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import org.springframework.graphql.client.FieldAccessException;
import org.springframework.graphql.client.HttpSyncGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A typed client of the ordergraph supergraph, through the gateway. Requests are built with the DGS codegen
 * query builders and projections generated from {@code schema/api.graphql}, and answers come back as the
 * generated types. Queries and mutations go over HTTP; subscriptions over one WebSocket
 * (graphql-transport-ws), opened on first use, with the bearer token in {@code connection_init}.
 *
 * <p>Thread-safe; close it to close the WebSocket.
 */
public final class OrderGraphClient implements AutoCloseable {

    /** How the codegen request writer renders the custom scalars in inputs. */
    private static final Map<Class<?>, Coercing<?, ?>> SCALARS = Map.of(
            LocalDate.class, ExtendedScalars.Date.getCoercing(),
            OffsetDateTime.class, ExtendedScalars.DateTime.getCoercing());

    private final HttpSyncGraphQlClient http;
    private final WebSocketGraphQlClient webSocket;
    private volatile boolean closed;

    private OrderGraphClient(URI graphqlUrl, String token) {
        String authorization = "Bearer " + token;
        this.http = HttpSyncGraphQlClient.builder(RestClient.create(graphqlUrl.toString()))
                .header("Authorization", authorization)
                .build();
        this.webSocket = WebSocketGraphQlClient.builder(webSocketUrl(graphqlUrl), new ReactorNettyWebSocketClient())
                .interceptor(new WebSocketGraphQlClientInterceptor() {
                    @Override
                    public Mono<Object> connectionInitPayload() {
                        return Mono.just(Map.of("Authorization", authorization));
                    }
                })
                .build();
    }

    /** A client of the gateway at {@code graphqlUrl} (e.g. {@code http://localhost:4000/graphql}) acting as the bearer of {@code token}. */
    public static OrderGraphClient connect(URI graphqlUrl, String token) {
        return new OrderGraphClient(graphqlUrl, token);
    }

    /**
     * Where the change feed stands ({@code null} before its first change). Read it before reading
     * orders, and subscribe with it: nothing committed after the read is missed, even a change committed
     * before the subscription reached the service.
     */
    public String changesCursor() {
        ChangesCursorGraphQLQuery query = new ChangesCursorGraphQLQuery();
        return execute(query.getOperationName(), new GraphQLQueryRequest(query), String.class); // a scalar: no projection
    }

    /**
     * A page of the viewer's orders, newest first, with each order's user (resolved by the users
     * subgraph through federation).
     */
    public OrderConnection orders(int first, String after, OrderFilter filter) {
        OrdersGraphQLQuery query = OrdersGraphQLQuery.newRequest().first(first).after(after).filter(filter).build();
        OrdersProjectionRoot<?, ?> projection = new OrdersProjectionRoot<>();
        var order = projection.edges().cursor().node();
        order.id().date().state();
        order.user().id().username();
        projection.pageInfo().hasNextPage().endCursor();
        return execute(query, projection, OrderConnection.class);
    }

    /**
     * Sets an order's state. Invalid input is not an exception: the payload's {@code errors} name the
     * fields, and nothing was saved.
     */
    public UpdateOrderPayload updateOrderState(String orderId, OrderState state, String clientMutationId) {
        UpdateOrderInput input = UpdateOrderInput.newBuilder()
                .id(orderId).state(state).clientMutationId(clientMutationId).build();
        UpdateOrderProjectionRoot<?, ?> projection = new UpdateOrderProjectionRoot<>();
        projection.order().id().date().state();
        projection.errors().field().messages();
        projection.clientMutationId();
        return execute(UpdateOrderGraphQLQuery.newRequest().input(input).build(), projection, UpdateOrderPayload.class);
    }

    /**
     * Every committed change to the viewer's visible orders that match {@code filter}, from just after
     * {@code after} (a cursor of an earlier change), or from now when it is {@code null}, one message per
     * change. The stream ends with an error when the connection drops; see {@link #liveOrderChanges}.
     */
    public Flux<OrderChange> orderChanges(OrderFilter filter, String after) {
        OrderChangesGraphQLQuery query = OrderChangesGraphQLQuery.newRequest().filter(filter).after(after).build();
        OrderChangesProjectionRoot<?, ?> projection = new OrderChangesProjectionRoot<>();
        projection.action();
        projection.cursor().committedAt();
        var order = projection.order();
        order.id().date().state();
        order.user().id().username();
        return subscribe(query, projection, OrderChange.class);
    }

    /**
     * The same changes as {@link #orderChanges}, grouped: each batch holds what accumulated while this
     * client was busy with the previous one, in commit order (a lone change is a batch of one, a bulk
     * statement a few large batches), and each change keeps its own cursor. {@code after} may be a
     * batch's cursor (its last change's) or any change's. The stream ends with an error when the
     * connection drops; see {@link #liveOrderChangeBatches}.
     */
    public Flux<OrderChangeBatch> orderChangeBatches(OrderFilter filter, String after) {
        OrderChangeBatchesGraphQLQuery query = OrderChangeBatchesGraphQLQuery.newRequest().filter(filter).after(after).build();
        OrderChangeBatchesProjectionRoot<?, ?> projection = new OrderChangeBatchesProjectionRoot<>();
        projection.cursor();
        var change = projection.changes();
        change.action();
        change.cursor().committedAt();
        var order = change.order();
        order.id().date().state();
        order.user().id().username();
        return subscribe(query, projection, OrderChangeBatch.class);
    }

    /**
     * Like {@link #orderChanges}, one change at a time, but survives a lost connection (a gateway restart,
     * a network blip) and a subscription the server completes (the gateway does when its supergraph
     * changes): it subscribes again with the cursor of the last change emitted, so nothing committed in
     * the meantime is missed or repeated. Ends on errors that retrying cannot fix (e.g.
     * {@code CURSOR_EXPIRED}, {@code UNAUTHENTICATED}) and when the client is closed.
     *
     * <p>Reads {@link #orderChangeBatches} (fewer messages under bulk writes) and emits their changes one
     * by one, in order. The cursor kept is the last emitted change's, not its batch's: when the
     * connection drops before a batch has been emitted whole, the next subscription starts just after
     * the last change emitted, so the rest of that batch comes again and nothing of it is lost.
     */
    public Flux<OrderChange> liveOrderChanges(OrderFilter filter, String after, Duration maxBackoff) {
        return resuming(after, cursor -> orderChangeBatches(filter, cursor).concatMapIterable(OrderChangeBatch::getChanges),
                OrderChange::getCursor, maxBackoff);
    }

    /**
     * {@link #orderChangeBatches} that survives a lost connection and a completed subscription like
     * {@link #liveOrderChanges}, resuming after the last batch emitted; for consumers that apply a
     * batch at once (a cache, a dashboard). A batch after a resume may be cut differently from the one
     * that would have come, never with a change missing or repeated.
     */
    public Flux<OrderChangeBatch> liveOrderChangeBatches(OrderFilter filter, String after, Duration maxBackoff) {
        return resuming(after, cursor -> orderChangeBatches(filter, cursor), OrderChangeBatch::getCursor, maxBackoff);
    }

    @Override
    public void close() {
        closed = true;
        webSocket.stop().block(Duration.ofSeconds(5));
    }

    /**
     * Subscribes with {@code subscribeAfter} from {@code after}, and again after a completion or a transient
     * error, each time from the cursor of the last element emitted downstream (so set after any flattening).
     */
    private <T> Flux<T> resuming(String after, Function<String, Flux<T>> subscribeAfter, Function<T, String> cursorOf,
                                 Duration maxBackoff) {
        AtomicReference<String> lastCursor = new AtomicReference<>(after);
        return Flux.defer(() -> subscribeAfter.apply(lastCursor.get()))
                .doOnNext(item -> lastCursor.set(cursorOf.apply(item)))
                .repeatWhen(completions -> completions.takeWhile(n -> !closed).delayElements(Duration.ofMillis(200)))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(maxBackoff)
                        .transientErrors(true) // a subscription that delivered for a while starts again at 200 ms
                        .filter(error -> !closed && worthRetrying(error)));
    }

    private <T> T execute(GraphQLQuery query, BaseProjectionNode projection, Class<T> type) {
        return execute(query.getOperationName(), new GraphQLQueryRequest(query, projection, SCALARS), type);
    }

    /** Runs {@code request} over HTTP and reads its root {@code field} as {@code type}. */
    private <T> T execute(String field, GraphQLQueryRequest request, Class<T> type) {
        try {
            return http.document(request.serialize()).retrieveSync(field).toEntity(type);
        } catch (FieldAccessException e) {
            throw OrderGraphException.from(e.getResponse());
        }
    }

    private <T> Flux<T> subscribe(GraphQLQuery query, BaseProjectionNode projection, Class<T> type) {
        String field = query.getOperationName();
        return webSocket.document(new GraphQLQueryRequest(query, projection, SCALARS).serialize())
                .executeSubscription()
                .map(response -> {
                    if (!response.isValid() || !response.field(field).getErrors().isEmpty()) {
                        throw OrderGraphException.from(response);
                    }
                    return response.field(field).toEntity(type);
                });
    }

    private static boolean worthRetrying(Throwable error) {
        return !(error instanceof OrderGraphException e) || OrderGraphException.TRANSIENT_CODES.contains(e.code());
    }

    private static URI webSocketUrl(URI graphqlUrl) {
        String scheme = "https".equalsIgnoreCase(graphqlUrl.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + graphqlUrl.toString().substring(graphqlUrl.getScheme().length()));
    }
}
