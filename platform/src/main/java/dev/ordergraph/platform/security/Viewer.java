package dev.ordergraph.platform.security;

import dev.ordergraph.platform.errors.ApiException;
import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Collection;

/**
 * Who is asking: the user id from the token's {@code sub} and whether {@code roles} holds {@code staff}.
 * Put in the GraphQL context once per request (or per WebSocket connection) by {@link ViewerInterceptor},
 * so permission checks are plain in-memory comparisons.
 */
public record Viewer(long userId, boolean staff) {

    public static final String STAFF_ROLE = "staff";

    /** The viewer of a decoded token, whose {@code sub} the decoder has checked ({@link UserIdSubjectValidator}). */
    public static Viewer fromJwt(Jwt jwt) {
        long userId = Long.parseLong(jwt.getSubject());
        Object roles = jwt.getClaims().get("roles");
        boolean staff = roles instanceof Collection<?> list && list.contains(STAFF_ROLE);
        return new Viewer(userId, staff);
    }

    /** Whether this viewer may see data owned by {@code ownerId}. */
    public boolean canSee(long ownerId) {
        return staff || userId == ownerId;
    }

    /** The viewer of this request, or {@code null} when it carries no token. */
    public static Viewer current(DataFetchingEnvironment env) {
        GraphQLContext context = env.getGraphQlContext();
        return context.get(Viewer.class);
    }

    /** The viewer of this request; {@code UNAUTHENTICATED} when it carries no token. */
    public static Viewer required(DataFetchingEnvironment env) {
        Viewer viewer = current(env);
        if (viewer == null) {
            throw ApiException.unauthenticated();
        }
        return viewer;
    }
}
