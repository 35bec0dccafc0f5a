package dev.ordergraph.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.List;

/**
 * A trace context as a W3C {@code traceparent} value, the one form it takes wherever it leaves a process:
 * an HTTP header, an origin mark in a transaction, a Kafka record header, a subscription event's
 * {@code extensions}.
 */
public final class TraceParent {

    public static final String HEADER = "traceparent";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceParent() {
    }

    /** The {@code traceparent} of {@code span}; {@code null} when it is not sampled (tracing off, or not chosen). */
    public static String of(Span span) {
        if (!span.getSpanContext().isSampled()) {
            return null;
        }
        String[] value = new String[1];
        W3C.inject(Context.root().with(span), value, (carrier, key, v) -> {
            if (HEADER.equals(key)) {
                carrier[0] = v;
            }
        });
        return value[0];
    }

    /** The {@code traceparent} of the current span; {@code null} when none is sampled. */
    public static String current() {
        return of(Span.current());
    }

    /** A context whose parent is {@code traceparent}; the root context when it is {@code null} or malformed. */
    public static Context parent(String traceparent) {
        return traceparent == null ? Context.root() : W3C.extract(Context.root(), traceparent, VALUE);
    }
}
