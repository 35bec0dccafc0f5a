package dev.ordergraph.platform.mutation;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;

import java.util.concurrent.CompletableFuture;

/**
 * Ends the shared transaction of an atomic request once all its fields have run, before the
 * response leaves: so a client that has the response also sees its writes (or none of them).
 */
public class AtomicMutationInstrumentation extends SimplePerformantInstrumentation {

    @Override
    public InstrumentationContext<ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters, InstrumentationState state) {
        return SimpleInstrumentationContext.whenCompleted((result, failure) -> {
            if (failure != null) {
                AtomicRequest request = parameters.getGraphQLContext().get(AtomicRequest.class);
                if (request != null) {
                    request.abandon();
                }
            }
        });
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result, InstrumentationExecutionParameters parameters,
                                                                       InstrumentationState state) {
        AtomicRequest request = parameters.getGraphQLContext().get(AtomicRequest.class);
        return CompletableFuture.completedFuture(request == null ? result : request.finish(result));
    }
}
