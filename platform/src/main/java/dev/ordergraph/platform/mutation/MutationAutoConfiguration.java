package dev.ordergraph.platform.mutation;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

/** Mutation transactions for a subgraph with a database: atomic per request unless configured off. */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(MutationProperties.class)
public class MutationAutoConfiguration {

    @Bean
    MutationRunner mutationRunner(DataSource dataSource, MutationProperties properties) {
        return new MutationRunner(dataSource, properties);
    }

    @Bean
    AtomicMutationInstrumentation atomicMutationInstrumentation() {
        return new AtomicMutationInstrumentation();
    }
}
