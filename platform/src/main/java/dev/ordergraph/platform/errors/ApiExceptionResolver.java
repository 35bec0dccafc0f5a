package dev.ordergraph.platform.errors;

import graphql.GraphQLError;
import graphql.schema.DataFetchingEnvironment;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;

/** Exceptions from data fetchers as GraphQL errors with a stable {@code extensions.code} ({@link GraphQlErrors}). */
public class ApiExceptionResolver extends DataFetcherExceptionResolverAdapter {

    public ApiExceptionResolver() {
        setThreadLocalContextAware(false);
    }

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        return GraphQlErrors.of(ex, env);
    }
}
