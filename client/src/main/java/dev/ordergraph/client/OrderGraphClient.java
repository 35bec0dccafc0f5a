package dev.ordergraph.client;

import com.netflix.graphql.dgs.client.codegen.BaseProjectionNode;
import com.netflix.graphql.dgs.client.codegen.GraphQLQuery;
import com.netflix.graphql.dgs.client.codegen.GraphQLQueryRequest;
import dev.ordergraph.client.generated.client.ChangeOriginProjection;
import dev.ordergraph.client.generated.client.ChangeTransactionProjection;
import dev.ordergraph.client.generated.client.ChangesCursorGraphQLQuery;
import dev.ordergraph.client.generated.client.OrderChangeBatchesGraphQLQuery;
import dev.ordergraph.client.generated.client.OrderChangeBatchesProjectionRoot;
import dev.ordergraph.client.generated.client.OrderChangesGraphQLQuery;
import dev.ordergraph.client.generated.client.OrderChangesProjectionRoot;
import dev.ordergraph.client.generated.client.OrderProjection;
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
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A typed client of the ordergraph supergraph, through the gateway. Requests are built with the DGS codegen
 * query builders and projections generated from {@code schema/api.graphql}, and answers come back as the
 * generated types. Queries and mutations go over HTTP; subscriptions over one WebSocket
 * (graphql-transport-ws), opened on first use, with the bearer token in {@code connection_init}.
 *
 * <h2>Tokens</h2>
 * The bearer token comes from a {@code Supplier<String>} (see {@link #connect(URI, Supplier)}), asked
 * whenever the client needs a token: before every HTTP request, before every subscription (a WebSocket
 * connection that opens for it sends that token in its {@code connection_init}, and keeps it), and when the
 * gateway ended a subscription because its token expired. A supplier backed by an identity provider should
 * therefore cache its token and return a new one only when that one is expired or about to be.
 * {@link #connect(URI, String)} is the same with a supplier that always returns one token.
 *
 * <p>The gateway ends a subscription when the token of its connection expires: one error with code
 * {@code TOKEN_EXPIRED}, then nothing more. Then this client closes that connection, and the next
 * subscription goes out on a new one, opened with a token from the supplier. The live streams
 * ({@link #liveOrderChanges}, {@link #liveOrderChangeBatches}) do it by themselves: they ask the supplier for a
 * token and subscribe again {@code after} the last change they delivered, so the caller sees every change once,
 * in order, across renewals. When the supplier has no newer token (it returns the expired one again, or one
 * whose {@code exp} has passed too), they end with an {@link OrderGraphException} whose code is
 * {@code TOKEN_EXPIRED} instead of trying again. The one-shot streams ({@link #orderChanges},
 * {@link #orderChangeBatches}) end with that error; subscribe again with {@code after} the last cursor received.
 *
 * <p>Thread-safe; close it to close the WebSocket.
 */
public final class OrderGraphClient implements AutoCloseable {

    /** How the codegen request writer renders the custom scalars in inputs. */
    private static final Map<Class<?>, Coercing<?, ?>> SCALARS = Map.of(
            LocalDate.class, ExtendedScalars.Date.getCoercing(),
            OffsetDateTime.class, ExtendedScalars.DateTime.getCoercing());

    /** A renewed token the gateway finds expired sooner than this is not renewed again (no loop). */
    private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(1);


    private final URI webSocketUrl;
    private final Supplier<String> tokens;
    private final HttpSyncGraphQlClient http;
    /** The WebSocket connection that new subscriptions use; replaced when its token expired. */
    private final AtomicReference<Connection> connection = new AtomicReference<>();
    private volatile boolean closed;

    private OrderGraphClient(URI graphqlUrl, Supplier<String> tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.webSocketUrl = webSocketUrl(graphqlUrl);
        this.http = HttpSyncGraphQlClient.builder(RestClient.builder()
                        .baseUrl(graphqlUrl.toString())
                        .requestInitializer(request -> request.getHeaders().set("Authorization", "Bearer " + token())))
                .build();
        this.connection.set(new Connection());
    }

    /**
     * A client of the gateway at {@code graphqlUrl} (e.g. {@code http://localhost:4000/graphql}) acting as the
     * bearer of {@code token}. The token is never renewed: when it expires, requests fail with
     * {@code UNAUTHENTICATED} and live streams end with {@code TOKEN_EXPIRED}. Use
     * {@link #connect(URI, Supplier)} for a client that outlives its tokens.
     */
    public static OrderGraphClient connect(URI graphqlUrl, String token) {
        Objects.requireNonNull(token, "token");
        return new OrderGraphClient(graphqlUrl, () -> token);
    }

    /**
     * A client of the gateway at {@code graphqlUrl} that takes its bearer token from {@code tokens}: asked before
     * every HTTP request and every subscription (for the WebSocket connection it may open), and when a
     * subscription ended with {@code TOKEN_EXPIRED} (see the class comment). It may block (it is not called on a
     * network thread); it should return a cached token while that one is valid, and a newer one once it has
     * expired or is about to.
     * It returns the bare token, without {@code Bearer }.
     */
    public static OrderGraphClient connect(URI graphqlUrl, Supplier<String> tokens) {
        return new OrderGraphClient(graphqlUrl, tokens);
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
        withOwner(projection.edges().cursor().node());
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
     * change. Each change carries the order after it and before it ({@code previous}, {@code null} for
     * {@code CREATED}), the fields that differ ({@code changedFields}), its transaction ({@code last} on the
     * transaction's final change for this subscription) and its origin (a mutation of the API, with its actor
     * and clientMutationId for those allowed to see them, or {@code OUTSIDE}). The stream ends with an error when the connection drops, and with an {@link OrderGraphException}
     * coded {@code TOKEN_EXPIRED} when the token expires (subscribe again {@code after} the last cursor: the
     * new subscription goes out on a new connection, with a token from the supplier); see
     * {@link #liveOrderChanges}, which does both by itself.
     */
    public Flux<OrderChange> orderChanges(OrderFilter filter, String after) {
        return unwrapped(changes(filter, after));
    }

    private Flux<OrderChange> changes(OrderFilter filter, String after) {
        OrderChangesGraphQLQuery query = OrderChangesGraphQLQuery.newRequest().filter(filter).after(after).build();
        OrderChangesProjectionRoot<?, ?> projection = new OrderChangesProjectionRoot<>();
        projection.action();
        projection.cursor().committedAt();
        withOwner(projection.order());
        withOwner(projection.previous());
        projection.changedFields();
        transaction(projection.transaction());
        origin(projection.origin());
        return subscribe(query, projection, OrderChange.class);
    }

    /**
     * The same changes as {@link #orderChanges}, grouped: each batch holds what accumulated while this
     * client was busy with the previous one, in commit order (a lone change is a batch of one, a bulk
     * statement a few large batches), and each change keeps its own cursor. {@code after} may be a
     * batch's cursor (its last change's) or any change's. The stream ends with an error when the
     * connection drops or the token expires ({@code TOKEN_EXPIRED}), as {@link #orderChanges} does; see
     * {@link #liveOrderChangeBatches}.
     */
    public Flux<OrderChangeBatch> orderChangeBatches(OrderFilter filter, String after) {
        return unwrapped(batches(filter, after));
    }

    private Flux<OrderChangeBatch> batches(OrderFilter filter, String after) {
        OrderChangeBatchesGraphQLQuery query = OrderChangeBatchesGraphQLQuery.newRequest().filter(filter).after(after).build();
        OrderChangeBatchesProjectionRoot<?, ?> projection = new OrderChangeBatchesProjectionRoot<>();
        projection.cursor();
        var change = projection.changes();
        change.action();
        change.cursor().committedAt();
        withOwner(change.order());
        withOwner(change.previous());
        change.changedFields();
        transaction(change.transaction());
        origin(change.origin());
        return subscribe(query, projection, OrderChangeBatch.class);
    }

    /**
     * Like {@link #orderChanges}, one change at a time, but survives a lost connection (a gateway restart,
     * a network blip), a subscription the server completes (the gateway does when its supergraph
     * changes) and an expired token ({@code TOKEN_EXPIRED}: it asks the token supplier for a newer token and
     * goes on over a new connection at once): it subscribes again with the cursor of the last change
     * emitted, so nothing committed in the meantime is missed or repeated. Ends on errors that retrying
     * cannot fix (e.g. {@code CURSOR_EXPIRED}, {@code UNAUTHENTICATED}; {@code TOKEN_EXPIRED} when the
     * supplier has no newer token) and when the client is closed.
     *
     * <p>Reads {@link #orderChangeBatches} (fewer messages under bulk writes) and emits their changes one
     * by one, in order. The cursor kept is the last emitted change's, not its batch's: when the
     * connection drops before a batch has been emitted whole, the next subscription starts just after
     * the last change emitted, so the rest of that batch comes again and nothing of it is lost.
     */
    public Flux<OrderChange> liveOrderChanges(OrderFilter filter, String after, Duration maxBackoff) {
        return resuming(after, cursor -> batches(filter, cursor).concatMapIterable(OrderChangeBatch::getChanges),
                OrderChange::getCursor, maxBackoff);
    }

    /**
     * {@link #orderChangeBatches} that survives a lost connection, a completed subscription and an expired
     * token like {@link #liveOrderChanges}, resuming after the last batch emitted; for consumers that apply a
     * batch at once (a cache, a dashboard). A batch after a resume may be cut differently from the one
     * that would have come, never with a change missing or repeated.
     */
    public Flux<OrderChangeBatch> liveOrderChangeBatches(OrderFilter filter, String after, Duration maxBackoff) {
        return resuming(after, cursor -> batches(filter, cursor), OrderChangeBatch::getCursor, maxBackoff);
    }

    /** An order's fields, with its owner's name (resolved by the users subgraph through federation). */
    private static void withOwner(OrderProjection<?, ?> order) {
        order.id().date().state();
        order.user().id().username();
    }

    /** The transaction of a change: {@code last} tells a consumer that buffers a transaction when to apply it. */
    private static void transaction(ChangeTransactionProjection<?, ?> transaction) {
        transaction.id().committedAt().last();
    }

    /**
     * Who made a change; the actor's name is resolved by the users subgraph, as an order's owner's is. The
     * actor and the clientMutationId come as {@code null} to viewers not allowed to know them.
     */
    private static void origin(ChangeOriginProjection<?, ?> origin) {
        origin.kind();
        origin.clientMutationId();
        origin.actor().id().username();
    }

    @Override
    public void close() {
        closed = true;
        connection.get().client.stop().block(Duration.ofSeconds(5));
    }

    /**
     * Subscribes with {@code subscribeAfter} from {@code after}, and again after a completion, a transient
     * error or an expired token (with a newer token, at once), each time from the cursor of the last element
     * emitted downstream (so set after any flattening). {@code subscribeAfter}'s flux fails with
     * {@link TokenExpired} when the token expired.
     */
    private <T> Flux<T> resuming(String after, Function<String, Flux<T>> subscribeAfter, Function<T, String> cursorOf,
                                 Duration maxBackoff) {
        AtomicReference<String> lastCursor = new AtomicReference<>(after);
        AtomicReference<Instant> renewedAt = new AtomicReference<>(Instant.MIN);
        return Flux.defer(() -> subscribeAfter.apply(lastCursor.get()))
                .doOnNext(item -> lastCursor.set(cursorOf.apply(item)))
                // An expired token: renewed (or the stream fails with TOKEN_EXPIRED), then resubscribed at once.
                .retryWhen(Retry.from(failures -> failures.concatMap(failure -> {
                    if (!(failure.failure() instanceof TokenExpired expired)) {
                        return Mono.error(failure.failure());
                    }
                    if (renewedAt.get().isAfter(Instant.now().minus(MIN_TOKEN_LIFETIME))) {
                        // The token the supplier gave last time is refused at once: renewing again would loop.
                        return Mono.error(OrderGraphException.tokenNotRenewed(expired.error,
                                "the gateway found its token expired within " + MIN_TOKEN_LIFETIME.toMillis() + " ms"));
                    }
                    return renewAfter(expired).then(Mono.fromCallable(() -> {
                        renewedAt.set(Instant.now());
                        return failure.totalRetries();
                    }));
                })))
                .repeatWhen(completions -> completions.takeWhile(n -> !closed).delayElements(Duration.ofMillis(200)))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(maxBackoff)
                        .transientErrors(true) // a subscription that delivered for a while starts again at 200 ms
                        .filter(error -> !closed && worthRetrying(error)));
    }

    /**
     * After {@code expired}: completes when the supplier has a token that differs from the expired one and
     * has not expired by its {@code exp} (the next connection opens with the supplier's token); else fails
     * with TOKEN_EXPIRED.
     */
    private Mono<Void> renewAfter(TokenExpired expired) {
        if (closed) {
            return Mono.error(expired.error);
        }
        return Mono.fromCallable(this::token)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(fresh -> {
                    if (fresh.equals(expired.token) || expiredByClaim(fresh)) { // expired.token: set at connection_init
                        return Mono.error(OrderGraphException.tokenNotRenewed(expired.error,
                                fresh.equals(expired.token) ? "it returned the expired token again" : "its token has expired too"));
                    }
                    return Mono.<Void>empty(); // the next subscription asks the supplier again, for its new connection
                })
                .onErrorMap(error -> !(error instanceof OrderGraphException),
                        error -> OrderGraphException.tokenNotRenewed(expired.error, "it failed: " + error));
    }

    /** A token from the supplier; an {@link IllegalStateException} when it returns none. */
    private String token() {
        String token = tokens.get();
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("The token supplier returned no token");
        }
        return token.strip();
    }

    /** Whether {@code token} is a JWT whose {@code exp} has passed (not verified: the gateway does that). */
    static boolean expiredByClaim(String token) {
        return TokenClaims.expiry(token).stream().anyMatch(exp -> exp <= Instant.now().getEpochSecond());
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

    /**
     * The subscription on the current connection. Errors are {@link OrderGraphException}s, except for an
     * expired token: then {@link TokenExpired}, naming the connection and its token (see {@link #unwrapped}).
     * The connection of an expired token is replaced at once, so that a new subscription (of this stream or
     * another) goes out on a new connection, with a token from the supplier.
     */
    private <T> Flux<T> subscribe(GraphQLQuery query, BaseProjectionNode projection, Class<T> type) {
        String field = query.getOperationName();
        String document = new GraphQLQueryRequest(query, projection, SCALARS).serialize();
        // The token is asked for here, off the network threads (the supplier may block), for the connection_init
        // of a connection that opens for this subscription (see Connection).
        return Mono.fromCallable(this::token).subscribeOn(Schedulers.boundedElastic()).flatMapMany(fresh -> {
            Connection on = connection.get();
            on.offered = fresh;
            return on.client.document(document)
                    .executeSubscription()
                    .map(response -> {
                        if (!response.isValid() || !response.field(field).getErrors().isEmpty()) {
                            throw OrderGraphException.from(response);
                        }
                        return response.field(field).toEntity(type);
                    })
                    // A graphql-ws `error` message with a code (e.g. TOKEN_EXPIRED) is an OrderGraphException too.
                    .onErrorMap(e -> e instanceof SubscriptionErrorException error && !error.getErrors().isEmpty()
                                    && error.getErrors().getFirst().getExtensions().get("code") != null,
                            e -> OrderGraphException.from(((SubscriptionErrorException) e).getErrors()))
                    .onErrorMap(e -> e instanceof OrderGraphException error && tokenExpired(error, on), e -> {
                        replace(on);
                        return new TokenExpired((OrderGraphException) e, on);
                    });
        });
    }

    /**
     * TOKEN_EXPIRED; or UNAUTHENTICATED for a subscription sent on a connection whose token has expired by
     * its {@code exp} (sent just as it expired): the same, a newer token fixes it.
     */
    private static boolean tokenExpired(OrderGraphException error, Connection on) {
        return OrderGraphException.TOKEN_EXPIRED.equals(error.code())
                || ("UNAUTHENTICATED".equals(error.code()) && on.token != null && expiredByClaim(on.token));
    }

    /**
     * Replaces {@code expired} (unless that happened already) by a new connection, which opens with a token
     * from the supplier, and closes it: the next subscriptions must not go out under its expired token. Its
     * other subscriptions end with it (they were running under that token too); live streams resume.
     */
    private void replace(Connection expired) {
        if (closed || connection.get() != expired) {
            return;
        }
        Connection next = new Connection();
        if (connection.compareAndSet(expired, next)) {
            expired.client.stop().subscribe(done -> { }, error -> { });
            if (closed) { // close() may have stopped `expired` just before the swap
                next.client.stop().subscribe(done -> { }, error -> { });
            }
        }
    }

    /** {@code flux} with {@link TokenExpired} turned back into its {@link OrderGraphException}, for callers. */
    private static <T> Flux<T> unwrapped(Flux<T> flux) {
        return flux.onErrorMap(TokenExpired.class, expired -> expired.error);
    }

    private static boolean worthRetrying(Throwable error) {
        return !(error instanceof OrderGraphException e) || OrderGraphException.TRANSIENT_CODES.contains(e.code());
    }

    private static URI webSocketUrl(URI graphqlUrl) {
        String scheme = "https".equalsIgnoreCase(graphqlUrl.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + graphqlUrl.toString().substring(graphqlUrl.getScheme().length()));
    }

    /**
     * One WebSocket client: it opens its socket on first use and again after it drops, each time with a
     * {@code connection_init} carrying a token from the supplier.
     *
     * <p>That token is the one the supplier gave for the subscription that opens the socket ({@link #offered}),
     * ready at once: Spring GraphQL takes requests to send on a connection only once its connection_init payload
     * has been given, so a payload given later on another thread (the supplier may block) can let a quick
     * {@code connection_ack} in first, and the connection's first subscription then fails ("Unexpected request
     * before Flux is subscribed to").
     */
    private final class Connection {

        final WebSocketGraphQlClient client;
        /** The supplier's token for the latest subscription sent on this connection. */
        volatile String offered;
        /** The token of the latest connection_init: the one a TOKEN_EXPIRED on this connection is about. */
        volatile String token;

        Connection() {
            this.client = WebSocketGraphQlClient.builder(webSocketUrl, new ReactorNettyWebSocketClient())
                    .interceptor(new WebSocketGraphQlClientInterceptor() {
                        @Override
                        public Mono<Object> connectionInitPayload() {
                            return Mono.fromCallable(() -> {
                                String sent = Objects.requireNonNull(offered, "a subscription opens the connection");
                                token = sent;
                                return (Object) Map.of("Authorization", "Bearer " + sent);
                            });
                        }
                    })
                    .build();
        }
    }

    /** Internal: a subscription ended with TOKEN_EXPIRED on a connection opened with {@code token}. */
    private static final class TokenExpired extends RuntimeException {

        final OrderGraphException error;
        final String token;

        TokenExpired(OrderGraphException error, Connection on) {
            super(error.getMessage(), error, false, false);
            this.error = error;
            this.token = on.token;
        }
    }
}
