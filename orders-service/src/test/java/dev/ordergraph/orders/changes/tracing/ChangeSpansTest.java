package dev.ordergraph.orders.changes.tracing;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.platform.tracing.EventTrace;
import graphql.ExecutionResultImpl;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The spans a change makes in this service: one per transaction per batch, from its commit; one per message delivered. */
class ChangeSpansTest {

    private static final String MUTATION_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String MUTATION = "00-" + MUTATION_TRACE + "-00f067aa0ba902b7-01";
    private static final Instant COMMITTED = Instant.now().minusMillis(40).truncatedTo(ChronoUnit.MILLIS);

    private final List<SpanData> exported = new ArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    exported.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            })).build();
    private final ChangeSpans spans = new ChangeSpans(OpenTelemetrySdk.builder().setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build());

    @AfterEach
    void close() {
        provider.close();
    }

    private static CapturedChange change(long id, long txId, ChangeOrigin origin, String trace) {
        return new CapturedChange(null, new OrderImage(id, LocalDate.of(2026, 1, 1), "PAID", 1),
                new ChangePosition(txId, 100 + id, 0), COMMITTED, origin, true, trace);
    }

    @Test
    void eachTransactionOfABatchIsOneSpanFromItsCommitInItsMutationsTraceOrItsOwn() {
        List<CapturedChange> batch = List.of(
                change(1, 7, new ChangeOrigin(5L, "m-1"), MUTATION), change(2, 7, new ChangeOrigin(5L, "m-1"), MUTATION),
                change(3, 8, ChangeOrigin.OUTSIDE, null));

        ChangeSpans.Batch traced = spans.captured("order-change capture", SpanKind.CONSUMER, batch);
        assertThat(exported).isEmpty(); // open until the hand-over
        traced.end();

        assertThat(exported).hasSize(2);
        SpanData mutation = exported.stream().filter(s -> s.getAttributes().get(ChangeSpans.TX_ID) == 7L).findFirst().orElseThrow();
        assertThat(mutation.getName()).isEqualTo("order-change capture");
        assertThat(mutation.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(mutation.getTraceId()).isEqualTo(MUTATION_TRACE);
        assertThat(mutation.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(mutation.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(COMMITTED.toEpochMilli()));
        assertThat(mutation.getAttributes().get(ChangeSpans.CHANGES)).isEqualTo(2L);
        assertThat(mutation.getAttributes().get(ChangeSpans.ORIGIN)).isEqualTo("api");
        SpanData outside = exported.stream().filter(s -> s.getAttributes().get(ChangeSpans.TX_ID) == 8L).findFirst().orElseThrow();
        assertThat(outside.getParentSpanContext().isValid()).isFalse(); // a trace of its own
        assertThat(outside.getAttributes().get(ChangeSpans.ORIGIN)).isEqualTo("outside");
        // The changes go on in their transaction's span.
        assertThat(traced.changes()).extracting(CapturedChange::trace).containsExactly(
                "00-" + MUTATION_TRACE + "-" + mutation.getSpanId() + "-01", "00-" + MUTATION_TRACE + "-" + mutation.getSpanId() + "-01",
                "00-" + outside.getTraceId() + "-" + outside.getSpanId() + "-" + outside.getSpanContext().getTraceFlags().asHex());
    }

    @Test
    void eachMessageIsASpanUnderItsChangesWhileItsEventGoesDownstreamCarryingItsContext() {
        List<String> seen = new ArrayList<>();
        EventTrace eventTrace = new EventTrace();
        Flux.just(MUTATION, "untraced")
                .transform(spans.deliveries("order-change deliver", m -> m.equals("untraced") ? null : m, m -> 3))
                .doOnNext(m -> seen.add(String.valueOf(eventTrace.instrumentExecutionResult(new ExecutionResultImpl(m, List.of()), null, null)
                        .join().getExtensions())))
                .blockLast();

        assertThat(exported).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("order-change deliver");
            assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(span.getTraceId()).isEqualTo(MUTATION_TRACE);
            assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(span.getAttributes().get(ChangeSpans.CHANGES)).isEqualTo(3L);
            assertThat(seen).containsExactly("{traceparent=00-" + MUTATION_TRACE + "-" + span.getSpanId() + "-01}", "null");
        });
    }

    @Test
    void offItMakesNothingAndLeavesTheChangesAsTheyAre() {
        ChangeSpans off = ChangeSpans.off();
        List<CapturedChange> batch = List.of(change(1, 7, new ChangeOrigin(5L, "m-1"), MUTATION));
        ChangeSpans.Batch traced = off.captured("order-change capture", SpanKind.CONSUMER, batch);
        traced.end();
        assertThat(traced.changes()).isSameAs(batch);
        assertThat(Flux.just("a").transform(off.deliveries("x", m -> MUTATION, m -> 1)).blockLast()).isEqualTo("a");
        assertThat(exported).isEmpty();
    }
}
