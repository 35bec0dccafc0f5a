package dev.ordergraph.platform.errors;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationTargetException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where the services build a GraphQL error: in a response, at the end of a subscription,
 * from an entity fetch, and as the body of a refused request. Every error gets a stable
 * {@code extensions.code}; an exception that is not an {@link ApiException} is logged with its stack
 * and reaches the client only as {@code INTERNAL}, so no class, SQL or stack detail leaks.
 */
public final class GraphQlErrors {

    private static final Logger log = LoggerFactory.getLogger(GraphQlErrors.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String INTERNAL_MESSAGE = "Internal error; it has been logged.";
    static final String UNAVAILABLE_MESSAGE = "The service cannot reach its database right now; nothing was done. Retry shortly.";

    private GraphQlErrors() {
    }

    /** An error with this code and message, at the field {@code env} resolves ({@code null}: the whole request). */
    public static GraphQLError error(ErrorCode code, String message, DataFetchingEnvironment env) {
        GraphqlErrorBuilder<?> builder = env == null ? GraphqlErrorBuilder.newError() : GraphqlErrorBuilder.newError(env);
        return builder.message(message)
                .errorType(errorType(code))
                .extensions(Map.of("code", code.name()))
                .build();
    }

    /** What the client sees of {@code failure}, raised while resolving {@code env} (or outside any field: {@code null}). */
    public static GraphQLError of(Throwable failure, DataFetchingEnvironment env) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException api) {
            return error(api.code(), api.getMessage(), env);
        }
        if (cause instanceof AccessDeniedException) {
            return error(ErrorCode.FORBIDDEN, "You may not do this.", env);
        }
        SQLException unreachable = DatabaseUnavailable.cause(cause);
        if (unreachable != null) {
            // Expected while PostgreSQL restarts or fails over: one line, no stack, no detail to the client.
            log.warn("Database unavailable{}: {}", env == null ? "" : " in " + env.getExecutionStepInfo().getPath(), unreachable.getMessage());
            return error(ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE, env);
        }
        if (env != null) {
            log.error("Unexpected failure in {}", env.getExecutionStepInfo().getPath(), cause);
        } else {
            log.error("Unexpected failure", cause);
        }
        return error(ErrorCode.INTERNAL, INTERNAL_MESSAGE, env);
    }

    /** A whole response body holding only this error, for answers given before GraphQL runs (e.g. a refused token). */
    public static String responseBody(ErrorCode code, String message) {
        return JSON.writeValueAsString(Map.of("errors", List.of(error(code, message, null).toSpecification())));
    }

    static ErrorType errorType(ErrorCode code) {
        return switch (code) {
            case UNAUTHENTICATED, TOKEN_EXPIRED -> ErrorType.UNAUTHORIZED;
            case FORBIDDEN -> ErrorType.FORBIDDEN;
            case NOT_FOUND -> ErrorType.NOT_FOUND;
            case BAD_USER_INPUT, CURSOR_EXPIRED, SLOW_CONSUMER -> ErrorType.BAD_REQUEST;
            case SERVICE_UNAVAILABLE, INTERNAL -> ErrorType.INTERNAL_ERROR;
        };
    }

    /** The exception a data fetcher threw, out of the wrappers async execution and reflection put around it. */
    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current instanceof InvocationTargetException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
