package dev.ordergraph.platform.tracing;

import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Tracing as {@link TracingEnvironment} switches it: Spring Boot makes the spans (Micrometer observations
 * bridged to OpenTelemetry: HTTP, GraphQL, JDBC) and exports them over OTLP; this adds Zipkin's own format,
 * which Zipkin's server reads without a collector in between ({@code make run TRACING=1}), and the trace
 * context of what WebSocket carries: subscription events ({@link EventTrace}) and operations ({@link SubscribeTrace}),
 * and keeps SQL statements to the traces of requests ({@link SqlInsideTraces}).
 */
@AutoConfiguration
public class TracingAutoConfiguration {

    @Bean
    @ConditionalOnProperty(TracingEnvironment.ZIPKIN_PROPERTY)
    @SuppressWarnings("deprecation") // OpenTelemetry keeps its Zipkin exporter deprecated in favour of OTLP
    ZipkinSpanExporter zipkinSpanExporter(@Value("${" + TracingEnvironment.ZIPKIN_PROPERTY + "}") String endpoint) {
        return ZipkinSpanExporter.builder().setEndpoint(endpoint).build();
    }

    @Bean
    ObservationPredicate sqlInsideTraces(ObjectProvider<Tracer> tracer) {
        return new SqlInsideTraces(() -> {
            Tracer current = tracer.getIfAvailable();
            return current != null && current.currentSpan() != null;
        });
    }

    @Bean
    EventTrace eventTrace() {
        return new EventTrace();
    }

    @Bean
    SubscribeTrace subscribeTrace(ObservationRegistry registry) {
        return new SubscribeTrace(registry);
    }
}
