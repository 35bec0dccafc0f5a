package dev.ordergraph.platform.errors;

import com.netflix.graphql.dgs.springgraphql.autoconfig.DgsSpringGraphQLAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Every way an exception becomes a GraphQL error, all through {@link GraphQlErrors}. Before DGS's own
 * configuration, whose default {@code DataFetcherExceptionHandler} (used for {@code _entities}) would
 * otherwise be created and put class names in messages.
 */
@AutoConfiguration(before = DgsSpringGraphQLAutoConfiguration.class)
public class ErrorsAutoConfiguration {

    @Bean
    ApiExceptionResolver apiExceptionResolver() {
        return new ApiExceptionResolver();
    }

    @Bean
    ApiSubscriptionExceptionResolver apiSubscriptionExceptionResolver() {
        return new ApiSubscriptionExceptionResolver();
    }

    @Bean
    ApiDataFetcherExceptionHandler apiDataFetcherExceptionHandler() {
        return new ApiDataFetcherExceptionHandler();
    }
}
