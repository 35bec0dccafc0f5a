package dev.ordergraph.platform.observability;

import io.micrometer.common.KeyValues;
import org.springframework.graphql.observation.DefaultExecutionRequestObservationConvention;
import org.springframework.graphql.observation.ExecutionRequestObservationContext;

/**
 * Spring GraphQL's request observation with the operation name as a metric tag, so that timings are kept
 * per operation ({@code query OrdersPage}, {@code mutation UpdateOrder}) and not only per type. Unnamed
 * operations share the tag value {@code query}; the number of distinct names is capped by a meter filter.
 */
class OperationNameObservationConvention extends DefaultExecutionRequestObservationConvention {

    static final String REQUEST_METRIC = "graphql.request";
    static final String OPERATION_NAME = "graphql.operation.name";

    @Override
    public KeyValues getLowCardinalityKeyValues(ExecutionRequestObservationContext context) {
        return super.getLowCardinalityKeyValues(context).and(operationName(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ExecutionRequestObservationContext context) {
        return KeyValues.of(executionId(context));
    }
}
