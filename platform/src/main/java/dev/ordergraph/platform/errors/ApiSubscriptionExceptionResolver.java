package dev.ordergraph.platform.errors;

import graphql.GraphQLError;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;

/**
 * The subscription counterpart of {@link ApiExceptionResolver}: an error that ends a live stream
 * (e.g. {@code SLOW_CONSUMER}) reaches the client with its stable code instead of a bare
 * "Subscription error".
 */
public class ApiSubscriptionExceptionResolver extends SubscriptionExceptionResolverAdapter {

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex) {
        return GraphQlErrors.of(ex, null);
    }
}
