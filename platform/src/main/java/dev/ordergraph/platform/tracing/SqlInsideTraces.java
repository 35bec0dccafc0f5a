package dev.ordergraph.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

import java.util.function.BooleanSupplier;

/**
 * SQL statements are spans only inside a trace: a request's statements stay children of its spans, while
 * what a service does on its own outside any request is not traced. orders-service's change feed writes
 * its replay window at every change; each of those statements was a trace of one span, a sixth of all the
 * spans a change benchmark exported (docs/benchmarks.md).
 */
final class SqlInsideTraces implements ObservationPredicate {

    /** datasource-micrometer's observations: jdbc.connection, jdbc.query, jdbc.result-set. */
    private static final String JDBC = "jdbc.";

    private final BooleanSupplier insideSpan;

    /** {@code insideSpan}: whether a span is current where no observation is (a span opened without one). */
    SqlInsideTraces(BooleanSupplier insideSpan) {
        this.insideSpan = insideSpan;
    }

    @Override
    public boolean test(String name, Observation.Context context) {
        // Micrometer sets the parent from the current observation before it asks, unless the listener has
        // set one: the connection's, a no-op one when connections are not observed (jdbc.includes=QUERY).
        return !name.startsWith(JDBC)
                || context.getParentObservation() instanceof Observation parent && !parent.isNoop()
                || insideSpan.getAsBoolean();
    }
}
