package dev.ordergraph.platform.tracing;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tracing is off unless {@code OTEL_TRACES_EXPORTER} names an exporter, {@code otlp} (Spring Boot maps the
 * standard {@code OTEL_EXPORTER_OTLP_*} variables) or {@code zipkin} ({@code OTEL_EXPORTER_ZIPKIN_ENDPOINT}).
 * Off, nothing is sampled, nothing is exported (so no export errors without a collector) and JDBC is not
 * wrapped; on, every trace is sampled unless {@code OTEL_TRACES_SAMPLER}/{@code _ARG} say otherwise, as
 * OpenTelemetry's default, and each SQL statement is a span. These are defaults, added last: the
 * application's own configuration and the {@code OTEL_*} variables win.
 */
public class TracingEnvironment implements EnvironmentPostProcessor {

    static final String EXPORTER = "OTEL_TRACES_EXPORTER";
    static final String ZIPKIN_ENDPOINT = "OTEL_EXPORTER_ZIPKIN_ENDPOINT";
    /** The Zipkin endpoint, set only when Zipkin is the exporter: TracingAutoConfiguration's switch. */
    static final String ZIPKIN_PROPERTY = "ordergraph.tracing.zipkin.endpoint";
    /** OpenTelemetry's default for {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (OTLP over HTTP). */
    static final String OTLP_DEFAULT = "http://localhost:4318/v1/traces";
    /** OpenTelemetry's default for {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT}. */
    static final String ZIPKIN_DEFAULT = "http://localhost:9411/api/v2/spans";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Set<String> exporters = exporters(environment.getProperty(EXPORTER, ""));
        boolean zipkin = exporters.contains("zipkin");
        boolean on = zipkin || exporters.contains("otlp");
        Map<String, Object> defaults = on
                ? Map.of("management.tracing.sampling.probability", "1.0",
                         // OpenTelemetry's default endpoint, which Spring Boot does not assume (it exports
                         // nothing without one); OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT replaces it.
                         "management.opentelemetry.tracing.export.otlp.endpoint", OTLP_DEFAULT,
                         "jdbc.datasource-proxy.enabled", "true",
                         "jdbc.includes", "QUERY")
                : Map.of("management.opentelemetry.tracing.sampler", "ALWAYS_OFF",
                         "management.tracing.export.enabled", "false",
                         "jdbc.datasource-proxy.enabled", "false");
        environment.getPropertySources().addLast(new MapPropertySource("ordergraphTracingDefaults", defaults));
        if (zipkin) {
            environment.getPropertySources().addFirst(new MapPropertySource("ordergraphZipkin",
                    Map.of(ZIPKIN_PROPERTY, environment.getProperty(ZIPKIN_ENDPOINT, ZIPKIN_DEFAULT))));
        }
    }

    /** Whether {@code OTEL_TRACES_EXPORTER} turns tracing on. */
    public static boolean on(String exporter) {
        Set<String> exporters = exporters(exporter == null ? "" : exporter);
        return exporters.contains("zipkin") || exporters.contains("otlp");
    }

    private static Set<String> exporters(String value) {
        return Arrays.stream(value.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
