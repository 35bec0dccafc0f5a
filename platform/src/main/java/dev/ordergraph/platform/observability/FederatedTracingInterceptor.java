package dev.ordergraph.platform.observability;

import com.apollographql.federation.graphqljava.tracing.FederatedTracingInstrumentation;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Hands the gateway's {@code apollo-federation-include-trace} request header to
 * {@link FederatedTracingInstrumentation}, which looks for it in the GraphQL context.
 */
class FederatedTracingInterceptor implements WebGraphQlInterceptor {

    private static final String HEADER = FederatedTracingInstrumentation.FEDERATED_TRACING_HEADER_NAME;

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        String value = request.getHeaders().getFirst(HEADER);
        if (value != null) {
            request.configureExecutionInput((input, builder) ->
                    builder.graphQLContext(context -> context.put(HEADER, value)).build());
        }
        return chain.next(request);
    }
}
