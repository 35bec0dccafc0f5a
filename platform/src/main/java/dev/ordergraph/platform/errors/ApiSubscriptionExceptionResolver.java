package dev.ordergraph.platform.errors;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;

import java.util.Map;

/**
 * The subscription counterpart of {@link ApiExceptionResolver}: an error that ends a live stream
 * (e.g. {@code SLOW_CONSUMER}) reaches the client with its stable code instead of a bare
 * "Subscription error".
 */
public class ApiSubscriptionExceptionResolver extends SubscriptionExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(ApiSubscriptionExceptionResolver.class);

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex) {
        if (ex instanceof ApiException api) {
            return error(api.code(), api.getMessage());
        }
        log.error("Subscription ended by an unexpected failure", ex);
        return error(ErrorCode.INTERNAL, "Internal error; it has been logged.");
    }

    private static GraphQLError error(ErrorCode code, String message) {
        return GraphqlErrorBuilder.newError()
                .message(message)
                .errorType(ApiExceptionResolver.errorType(code))
                .extensions(Map.of("code", code.name()))
                .build();
    }
}
