package dev.ordergraph.platform.tracing;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracing off unless OTEL_TRACES_EXPORTER names an exporter; the application's own settings win. */
class TracingEnvironmentTest {

    private static StandardEnvironment environment(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        new TracingEnvironment().postProcessEnvironment(environment, null);
        return environment;
    }

    @Test
    void withoutAnExporterNothingIsSampledExportedOrWrapped() {
        StandardEnvironment off = environment(Map.of());
        assertThat(off.getProperty("management.opentelemetry.tracing.sampler")).isEqualTo("ALWAYS_OFF");
        assertThat(off.getProperty("management.tracing.export.enabled")).isEqualTo("false");
        assertThat(off.getProperty("jdbc.datasource-proxy.enabled")).isEqualTo("false");
        assertThat(off.getProperty(TracingEnvironment.ZIPKIN_PROPERTY)).isNull();
        assertThat(environment(Map.of("OTEL_TRACES_EXPORTER", "none")).getProperty("management.tracing.export.enabled")).isEqualTo("false");
    }

    @Test
    void zipkinSamplesEveryTraceAndExportsToItsEndpoint() {
        StandardEnvironment zipkin = environment(Map.of("OTEL_TRACES_EXPORTER", "zipkin"));
        assertThat(zipkin.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
        assertThat(zipkin.getProperty("jdbc.datasource-proxy.enabled")).isEqualTo("true");
        assertThat(zipkin.getProperty("jdbc.includes")).isEqualTo("QUERY");
        assertThat(zipkin.getProperty("management.tracing.export.enabled")).isNull(); // Boot's default: on
        assertThat(zipkin.getProperty(TracingEnvironment.ZIPKIN_PROPERTY)).isEqualTo("http://localhost:9411/api/v2/spans");
        assertThat(environment(Map.of("OTEL_TRACES_EXPORTER", " Zipkin ", "OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://zipkin:9411/api/v2/spans"))
                .getProperty(TracingEnvironment.ZIPKIN_PROPERTY)).isEqualTo("http://zipkin:9411/api/v2/spans");
    }

    @Test
    void otlpLeavesTheExportToSpringBootAndTheApplicationsSettingsWin() {
        StandardEnvironment otlp = environment(Map.of("OTEL_TRACES_EXPORTER", "otlp", "management.tracing.sampling.probability", "0.25"));
        assertThat(otlp.getProperty(TracingEnvironment.ZIPKIN_PROPERTY)).isNull();
        assertThat(otlp.getProperty("management.opentelemetry.tracing.export.otlp.endpoint")).isEqualTo("http://localhost:4318/v1/traces");
        assertThat(otlp.getProperty("management.tracing.sampling.probability")).isEqualTo("0.25");
        assertThat(TracingEnvironment.on("otlp")).isTrue();
        assertThat(TracingEnvironment.on("none")).isFalse();
        assertThat(TracingEnvironment.on(null)).isFalse();
    }
}
