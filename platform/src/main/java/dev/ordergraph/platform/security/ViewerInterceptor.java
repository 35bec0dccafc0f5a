package dev.ordergraph.platform.security;

import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Puts the {@link Viewer} into the GraphQL context of each request.
 * <ul>
 *   <li>HTTP: Spring Security's resource server has already verified the bearer token (or answered 401).</li>
 *   <li>WebSocket: the token comes in the {@code connection_init} payload as {@code Authorization}
 *   (either case); it is verified once per connection with the same decoder, and a missing or invalid
 *   token closes the connection with 4401, as graphql-ws defines.</li>
 * </ul>
 */
public class ViewerInterceptor implements WebSocketGraphQlInterceptor {

    private static final String VIEWER = Viewer.class.getName();

    private final JwtDecoder jwtDecoder;

    public ViewerInterceptor(JwtDecoder jwtDecoder) {
        this.jwtDecoder = jwtDecoder;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Viewer viewer = request instanceof WebSocketGraphQlRequest ws
                ? (Viewer) ws.getSessionInfo().getAttributes().get(VIEWER)
                : fromSecurityContext();
        if (viewer != null) {
            request.configureExecutionInput((input, builder) ->
                    builder.graphQLContext(context -> context.put(Viewer.class, viewer)).build());
        }
        return chain.next(request);
    }

    @Override
    public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo sessionInfo, Map<String, Object> payload) {
        Object value = payload.getOrDefault("Authorization", payload.get("authorization"));
        if (!(value instanceof String header) || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Mono.error(new IllegalArgumentException("connection_init needs an Authorization: Bearer <token> entry"));
        }
        try {
            Viewer viewer = Viewer.fromJwt(jwtDecoder.decode(header.substring(7).trim()));
            sessionInfo.getAttributes().put(VIEWER, viewer);
            return Mono.empty();
        } catch (JwtException | IllegalArgumentException e) {
            return Mono.error(e);
        }
    }

    private static Viewer fromSecurityContext() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof Jwt jwt ? Viewer.fromJwt(jwt) : null;
    }
}
