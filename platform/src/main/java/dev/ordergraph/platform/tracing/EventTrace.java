package dev.ordergraph.platform.tracing;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;

import java.util.concurrent.CompletableFuture;

/**
 * Puts a subscription event's trace context in the event itself, as {@code extensions.traceparent}, so
 * the gateway that receives it can continue the trace (delivery spans of its own), whatever transport
 * carries the event. graphql-java has no per-event extensions: the code that emits an event opens
 * {@link #around} it, and graphql-java, which executes the event on the emitting thread, hands the
 * result to {@link #instrumentExecutionResult} before it goes to the transport.
 */
public class EventTrace extends SimplePerformantInstrumentation {

    public static final String EXTENSION = TraceParent.HEADER;
    private static final ContextKey<String> TRACE = ContextKey.named("ordergraph.event-trace");

    /** While the returned scope is open, events executed on this thread carry {@code traceparent}. */
    public static Scope around(Context context, String traceparent) {
        return context.with(TRACE, traceparent).makeCurrent();
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
                                                                        InstrumentationExecutionParameters parameters,
                                                                        InstrumentationState state) {
        String traceparent = Context.current().get(TRACE);
        return CompletableFuture.completedFuture(traceparent == null ? result
                : result.transform(builder -> builder.addExtension(EXTENSION, traceparent)));
    }
}
