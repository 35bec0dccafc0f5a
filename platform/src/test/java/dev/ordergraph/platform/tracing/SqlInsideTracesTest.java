package dev.ordergraph.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import net.ttddyy.observation.tracing.JdbcObservationDocumentation;
import net.ttddyy.observation.tracing.QueryContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A statement is observed inside a request's observation or span, not on its own. */
class SqlInsideTracesTest {

    private static ObservationRegistry registry(boolean insideSpan) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(context -> true); // without a handler all is no-op
        registry.observationConfig().observationPredicate(new SqlInsideTraces(() -> insideSpan));
        return registry;
    }

    @Test
    void aStatementOutsideAnyRequestIsNotObserved() {
        ObservationRegistry registry = registry(false);
        assertThat(Observation.createNotStarted("jdbc.query", registry).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("jdbc.connection", registry).isNoop()).isTrue();
        assertThat(JdbcObservationDocumentation.QUERY.observation(registry, SqlInsideTracesTest::queryOnANoopConnection).isNoop())
                .as("as datasource-micrometer makes it, when connections are not observed").isTrue();
        assertThat(Observation.createNotStarted("graphql.request", registry).isNoop()).as("only SQL is kept to traces").isFalse();
    }

    @Test
    void aStatementInsideARequestsObservationOrSpanIs() {
        ObservationRegistry registry = registry(false);
        Observation request = Observation.start("graphql.request", registry);
        try (Observation.Scope scope = request.openScope()) {
            assertThat(Observation.createNotStarted("jdbc.query", registry).isNoop()).isFalse();
        } finally {
            request.stop();
        }
        assertThat(JdbcObservationDocumentation.QUERY.observation(registry(true), SqlInsideTracesTest::queryOnANoopConnection).isNoop())
                .as("a span current").isFalse();
    }

    private static QueryContext queryOnANoopConnection() {
        QueryContext context = new QueryContext();
        context.setParentObservation(Observation.NOOP);
        return context;
    }
}
