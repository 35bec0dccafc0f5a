package dev.ordergraph.orders.changes.tracing;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.platform.tracing.EventTrace;
import dev.ordergraph.platform.tracing.TraceParent;
import dev.ordergraph.platform.tracing.TracingEnvironment;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.reactivestreams.Subscription;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The spans that follow a change through this service: one per transaction per captured batch, from the
 * transaction's commit (the time the log gives) until the batch is handed to the feed, or to the changes
 * topic by the leader in the scale-out mode; then one per message a subscriber receives, until its
 * transport has taken it. A change a traced mutation made continues the mutation's trace (its origin mark
 * carries the context); any other change starts a trace of its own. Spans carry counts and ids, never row
 * data, and a bulk statement makes one span per batch, not one per row. With tracing off this does
 * nothing at all.
 */
@Component
public class ChangeSpans {

    static final AttributeKey<Long> TX_ID = AttributeKey.longKey("ordergraph.tx_id");
    static final AttributeKey<Long> CHANGES = AttributeKey.longKey("ordergraph.changes");
    static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("ordergraph.origin");

    /** Off: no tracer, no spans, nothing allocated. */
    private final Tracer tracer;

    @Autowired
    public ChangeSpans(ObjectProvider<OpenTelemetry> openTelemetry, Environment environment) {
        this(TracingEnvironment.on(environment.getProperty("OTEL_TRACES_EXPORTER")) ? openTelemetry.getIfAvailable() : null);
    }

    ChangeSpans(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry == null ? null : openTelemetry.getTracer("dev.ordergraph.orders.changes");
    }

    /** Spans that are never made, for a service (or a test) without tracing. */
    public static ChangeSpans off() {
        return new ChangeSpans((OpenTelemetry) null);
    }

    /**
     * Starts a span per transaction in {@code batch} (its consecutive changes), from its commit, named
     * {@code name}; the returned batch's changes continue those spans' trace. End them with {@link Batch#end()}.
     */
    public Batch captured(String name, SpanKind kind, List<CapturedChange> batch) {
        if (tracer == null || batch.isEmpty()) {
            return new Batch(batch, List.of());
        }
        List<CapturedChange> traced = new ArrayList<>(batch.size());
        List<Span> spans = new ArrayList<>();
        Span span = null;
        String trace = null;
        long txId = -1;
        long count = 0;
        for (CapturedChange change : batch) {
            if (span == null || change.txId() != txId) {
                if (span != null) {
                    span.setAttribute(CHANGES, count);
                }
                txId = change.txId();
                count = 0;
                span = tracer.spanBuilder(name)
                        .setParent(TraceParent.parent(change.trace()))
                        .setSpanKind(kind)
                        .setStartTimestamp(change.committedAt())
                        .setAttribute(TX_ID, txId)
                        .setAttribute(ORIGIN, change.origin().api() ? "api" : "outside")
                        .startSpan();
                spans.add(span);
                trace = TraceParent.of(span);
            }
            count++;
            traced.add(change.tracedFrom(trace));
        }
        span.setAttribute(CHANGES, count);
        return new Batch(traced, spans);
    }

    /**
     * Wraps a subscriber's messages: each one whose changes are traced ({@code traceOf}) is a span, named
     * {@code name}, from its arrival until everything downstream (GraphQL execution of the event, the
     * transport's send) has taken it; the event carries that span's context to the gateway ({@link EventTrace}).
     */
    public <T> Function<Flux<T>, Flux<T>> deliveries(String name, Function<T, String> traceOf, ToIntFunction<T> changes) {
        if (tracer == null) {
            return Function.identity();
        }
        Function<? super org.reactivestreams.Publisher<T>, ? extends org.reactivestreams.Publisher<T>> lift =
                Operators.<T, T>lift((scannable, downstream) -> new Delivering<>(downstream, name, traceOf, changes));
        return flux -> Flux.from(lift.apply(flux));
    }

    /** A batch as the spans follow it. */
    public record Batch(List<CapturedChange> changes, List<Span> spans) {
        /** Its hand-over is done. */
        public void end() {
            spans.forEach(Span::end);
        }
    }

    private final class Delivering<T> implements CoreSubscriber<T> {
        private final CoreSubscriber<? super T> downstream;
        private final String name;
        private final Function<T, String> traceOf;
        private final ToIntFunction<T> changes;

        Delivering(CoreSubscriber<? super T> downstream, String name, Function<T, String> traceOf, ToIntFunction<T> changes) {
            this.downstream = downstream;
            this.name = name;
            this.traceOf = traceOf;
            this.changes = changes;
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return downstream.currentContext();
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            downstream.onSubscribe(subscription);
        }

        @Override
        public void onNext(T message) {
            String parent = traceOf.apply(message);
            if (parent == null) {
                downstream.onNext(message);
                return;
            }
            Span span = tracer.spanBuilder(name)
                    .setParent(TraceParent.parent(parent))
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute(CHANGES, (long) changes.applyAsInt(message))
                    .startSpan();
            try (Scope ignored = EventTrace.around(Context.root().with(span), TraceParent.of(span))) {
                downstream.onNext(message);
            } finally {
                span.end();
            }
        }

        @Override
        public void onError(Throwable error) {
            downstream.onError(error);
        }

        @Override
        public void onComplete() {
            downstream.onComplete();
        }
    }
}
