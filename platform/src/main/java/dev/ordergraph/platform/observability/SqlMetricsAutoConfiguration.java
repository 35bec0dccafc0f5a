package dev.ordergraph.platform.observability;

import jakarta.persistence.EntityManagerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/** Registers the SQL statement counter when the service uses JPA. */
@AutoConfiguration(afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
public class SqlMetricsAutoConfiguration {

    @Bean
    @ConditionalOnBean(EntityManagerFactory.class)
    SqlStatementMetrics sqlStatementMetrics(EntityManagerFactory entityManagerFactory) {
        return new SqlStatementMetrics(entityManagerFactory);
    }
}
