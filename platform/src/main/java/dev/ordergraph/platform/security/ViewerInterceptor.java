package dev.ordergraph.platform.security;

import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.errors.GraphQlErrors;
import graphql.ExecutionResult;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts the {@link Viewer} into the GraphQL context of each request, and ends each subscription when the
 * token it runs under expires ({@link TokenLifetime}).
 * <ul>
 *   <li>HTTP (and SSE): Spring Security's resource server has already verified the bearer token (or answered 401).</li>
 *   <li>WebSocket, a client's own connection: the token comes in the {@code connection_init} payload as
 *   {@code Authorization} (either case) and is verified once per connection with the same decoder; an
 *   invalid token closes the connection with 4401, as graphql-ws defines. Once that token has expired, the
 *   connection's subscriptions have ended and a new request on it is refused with {@code UNAUTHENTICATED}.</li>
 *   <li>WebSocket, a connection the gateway shares between its clients: {@code connection_init} carries
 *   no token, and each subscription carries its client's in {@code extensions.authorization}, verified
 *   per subscription. A subscription whose token is invalid is refused alone with {@code UNAUTHENTICATED}
 *   (never run as the connection's viewer), and the others on the connection go on.</li>
 * </ul>
 */
public class ViewerInterceptor implements WebSocketGraphQlInterceptor {

    private static final String IDENTITY = Identity.class.getName();
    /** A request's own token, in its {@code extensions} (the gateway's subscriptions on a shared connection). */
    private static final String AUTHORIZATION = "authorization";

    private final JwtDecoder jwtDecoder;
    private final TokenLifetime lifetime;

    public ViewerInterceptor(JwtDecoder jwtDecoder) {
        this(jwtDecoder, new TokenLifetime());
    }

    ViewerInterceptor(JwtDecoder jwtDecoder, TokenLifetime lifetime) {
        this.jwtDecoder = jwtDecoder;
        this.lifetime = lifetime;
    }

    /** The viewer of a verified token, and when the token expires ({@code null}: never). */
    private record Identity(Viewer viewer, Instant expiresAt) {

        static Identity of(Jwt jwt) {
            return new Identity(Viewer.fromJwt(jwt), jwt.getExpiresAt());
        }
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Identity identity;
        if (request instanceof WebSocketGraphQlRequest ws) {
            Object own = ws.getExtensions().get(AUTHORIZATION);
            if (own == null) {
                identity = (Identity) ws.getSessionInfo().getAttributes().get(IDENTITY);
                if (identity != null && lifetime.hasPassed(identity.expiresAt())) {
                    return Mono.just(unauthenticated(request)); // the connection's token has expired since connection_init
                }
            } else {
                try {
                    identity = decode(own);
                } catch (JwtException | IllegalArgumentException e) {
                    return Mono.just(unauthenticated(request)); // this request only; the connection serves on
                }
            }
        } else {
            identity = fromSecurityContext();
        }
        if (request.getExtensions().containsKey(AUTHORIZATION)) {
            // Read (or, over HTTP, not ours to read): execution need not carry it. The request's own
            // toString, which Spring GraphQL logs at DEBUG, still does.
            Map<String, Object> rest = new HashMap<>(request.getExtensions());
            rest.remove(AUTHORIZATION);
            request.configureExecutionInput((input, builder) -> builder.extensions(rest).build());
        }
        if (identity == null) {
            return chain.next(request);
        }
        Viewer viewer = identity.viewer();
        request.configureExecutionInput((input, builder) ->
                builder.graphQLContext(context -> context.put(Viewer.class, viewer)).build());
        Instant expiresAt = identity.expiresAt();
        return expiresAt == null ? chain.next(request) : chain.next(request).map(response -> lifetime.limit(response, expiresAt));
    }

    private static WebGraphQlResponse unauthenticated(WebGraphQlRequest request) {
        ExecutionResult refused = ExecutionResult.newExecutionResult()
                .addError(GraphQlErrors.error(ErrorCode.UNAUTHENTICATED, "The token is invalid or expired; sign in again.", null))
                .build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), refused));
    }

    @Override
    public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo sessionInfo, Map<String, Object> payload) {
        Object value = payload.getOrDefault("Authorization", payload.get("authorization"));
        if (value == null) {
            return Mono.empty(); // a shared connection: each subscription brings its own token
        }
        try {
            sessionInfo.getAttributes().put(IDENTITY, decode(value));
            return Mono.empty();
        } catch (JwtException | IllegalArgumentException e) {
            return Mono.error(e);
        }
    }

    /** The identity in an {@code Authorization} value, {@code Bearer <token>}; throws unless it is one with a valid token. */
    private Identity decode(Object authorization) {
        if (!(authorization instanceof String header) || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new IllegalArgumentException("Authorization must be \"Bearer <token>\"");
        }
        return Identity.of(jwtDecoder.decode(header.substring(7).trim()));
    }

    private static Identity fromSecurityContext() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof Jwt jwt ? Identity.of(jwt) : null;
    }
}
