package dev.ordergraph.platform.errors;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;

import java.util.Map;

/**
 * Turns exceptions from data fetchers into GraphQL errors with a stable {@code extensions.code}.
 * Unknown exceptions are logged with their stack and reach the client only as {@code INTERNAL},
 * so no SQL or class names leak.
 */
public class ApiExceptionResolver extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionResolver.class);

    public ApiExceptionResolver() {
        setThreadLocalContextAware(false);
    }

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (ex instanceof ApiException api) {
            return error(env, api.code(), api.getMessage());
        }
        if (ex instanceof AccessDeniedException) {
            return error(env, ErrorCode.FORBIDDEN, "You may not do this.");
        }
        log.error("Unexpected failure in {}", env.getExecutionStepInfo().getPath(), ex);
        return error(env, ErrorCode.INTERNAL, "Internal error; it has been logged.");
    }

    static GraphQLError error(DataFetchingEnvironment env, ErrorCode code, String message) {
        return GraphqlErrorBuilder.newError(env)
                .message(message)
                .errorType(errorType(code))
                .extensions(Map.of("code", code.name()))
                .build();
    }

    static ErrorType errorType(ErrorCode code) {
        return switch (code) {
            case UNAUTHENTICATED -> ErrorType.UNAUTHORIZED;
            case FORBIDDEN -> ErrorType.FORBIDDEN;
            case BAD_USER_INPUT, CURSOR_EXPIRED, SLOW_CONSUMER -> ErrorType.BAD_REQUEST;
            case INTERNAL -> ErrorType.INTERNAL_ERROR;
        };
    }
}
