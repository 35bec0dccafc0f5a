package dev.ordergraph.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A trace context as the traceparent value it travels as, and back. */
class TraceParentTest {

    private static final String VALUE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aSampledSpanIsItsTraceparentAndTheValueIsItsParentAgain() {
        SpanContext parent = Span.fromContext(TraceParent.parent(VALUE)).getSpanContext();
        assertThat(parent.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(parent.getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(parent.isRemote()).isTrue();
        assertThat(TraceParent.of(Span.wrap(parent))).isEqualTo(VALUE);
    }

    @Test
    void nothingUnsampledOrMalformedTravels() {
        SpanContext unsampled = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getDefault(), TraceState.getDefault());
        assertThat(TraceParent.of(Span.wrap(unsampled))).isNull();
        assertThat(TraceParent.of(Span.getInvalid())).isNull();
        assertThat(TraceParent.current()).isNull();
        assertThat(Span.fromContext(TraceParent.parent("not a traceparent")).getSpanContext().isValid()).isFalse();
        assertThat(Span.fromContext(TraceParent.parent(null)).getSpanContext().isValid()).isFalse();
    }
}
