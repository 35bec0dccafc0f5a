package dev.ordergraph.platform.errors;

import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;

import java.util.concurrent.CompletableFuture;

/**
 * DGS resolves federation's {@code _entities} itself and hands what an entity fetcher throws to this
 * handler, not to Spring's resolvers: its default answered with the exception's class name and
 * {@code errorType: INTERNAL} but no code. The same rules as everywhere else ({@link GraphQlErrors}).
 */
public class ApiDataFetcherExceptionHandler implements DataFetcherExceptionHandler {

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters parameters) {
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult()
                .error(GraphQlErrors.of(parameters.getException(), parameters.getDataFetchingEnvironment()))
                .build());
    }
}
