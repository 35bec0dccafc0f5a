package dev.ordergraph.platform.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

/**
 * Publishes how many SQL statements Hibernate has prepared, as {@code db.statements.prepared}.
 * Operators watch it for N+1 regressions (statements per request should not grow with page size),
 * and the end-to-end tests assert on it. Needs {@code hibernate.generate_statistics=true}.
 */
public class SqlStatementMetrics implements MeterBinder {

    private final Statistics statistics;

    public SqlStatementMetrics(EntityManagerFactory entityManagerFactory) {
        this.statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("db.statements.prepared", statistics, Statistics::getPrepareStatementCount)
                .description("SQL statements prepared by Hibernate since start")
                .register(registry);
    }
}
