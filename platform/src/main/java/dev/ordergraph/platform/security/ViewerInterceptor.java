package dev.ordergraph.platform.security;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/**
 * Puts the {@link Viewer} into the GraphQL context of each HTTP request. Spring Security's resource
 * server has already verified the bearer token (or answered 401) by the time this runs.
 */
public class ViewerInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Jwt jwt) {
            Viewer viewer = Viewer.fromJwt(jwt);
            request.configureExecutionInput((input, builder) ->
                    builder.graphQLContext(context -> context.put(Viewer.class, viewer)).build());
        }
        return chain.next(request);
    }
}
