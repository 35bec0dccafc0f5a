package dev.ordergraph.platform.testing;

import com.netflix.graphql.dgs.context.GraphQLContextContributor;
import com.netflix.graphql.dgs.internal.DgsRequestData;
import dev.ordergraph.platform.security.Viewer;
import graphql.GraphQLContext;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.util.Map;

/**
 * For slice tests through {@code DgsQueryExecutor}, which runs GraphQL without the web interceptors that
 * put the viewer into the context in production: the viewer of the {@code Authorization} header given to
 * the executor, checked by the service's own decoder.
 */
public class TestViewers implements GraphQLContextContributor {

    private final JwtDecoder decoder;

    public TestViewers(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    /** Headers carrying this user's token. */
    public static HttpHeaders as(long userId, boolean staff) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, Tokens.bearer(userId, staff));
        return headers;
    }

    @Override
    public void contribute(GraphQLContext.Builder builder, Map<String, ?> extensions, DgsRequestData requestData) {
        HttpHeaders headers = requestData == null ? null : requestData.getHeaders();
        String authorization = headers == null ? null : headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.startsWith("Bearer ")) {
            builder.put(Viewer.class, Viewer.fromJwt(decoder.decode(authorization.substring(7))));
        }
    }
}
