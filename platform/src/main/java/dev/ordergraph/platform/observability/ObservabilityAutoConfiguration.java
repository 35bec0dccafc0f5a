package dev.ordergraph.platform.observability;

import com.apollographql.federation.graphqljava.tracing.FederatedTracingInstrumentation;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.graphql.observation.DefaultDataFetcherObservationConvention;
import org.springframework.graphql.observation.DefaultDataLoaderObservationConvention;
import org.springframework.graphql.observation.GraphQlObservationInstrumentation;

/**
 * What a subgraph tells operators and the gateway about its GraphQL work:
 * <ul>
 *   <li>timings per operation ({@code graphql.request}, tagged with operation name, type and outcome) and
 *   per data fetcher ({@code graphql.datafetcher}), from Spring GraphQL's observations. DGS 12 excludes
 *   Spring Boot's auto-configuration of them, so they are registered here;</li>
 *   <li>Apollo federated tracing: an {@code ftv1} trace in the response's extensions when the gateway sends
 *   {@code apollo-federation-include-trace: ftv1} (and only then: tracing costs a little per field).</li>
 * </ul>
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
public class ObservabilityAutoConfiguration {

    /** Distinct operation names kept in metrics; names come from clients, so they are capped. */
    static final int MAX_OPERATION_NAMES = 200;

    @Bean
    @ConditionalOnMissingBean
    GraphQlObservationInstrumentation graphQlObservationInstrumentation(ObservationRegistry observationRegistry) {
        return new GraphQlObservationInstrumentation(observationRegistry, new OperationNameObservationConvention(),
                new DefaultDataFetcherObservationConvention(), new DefaultDataLoaderObservationConvention());
    }

    @Bean
    MeterFilter operationNameLimit() {
        return new OperationNameLimit(MAX_OPERATION_NAMES);
    }

    @Bean
    FederatedTracingInstrumentation federatedTracingInstrumentation() {
        return new FederatedTracingInstrumentation();
    }

    @Bean
    FederatedTracingInterceptor federatedTracingInterceptor() {
        return new FederatedTracingInterceptor();
    }
}
