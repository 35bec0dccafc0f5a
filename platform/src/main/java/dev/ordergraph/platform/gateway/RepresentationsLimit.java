package dev.ordergraph.platform.gateway;

import dev.ordergraph.platform.errors.ApiException;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLObjectType;

import java.util.Collection;

/**
 * Bounds federation's {@code _entities}: one call asking for more than {@code max} representations is refused
 * with {@code BAD_USER_INPUT} before any entity is fetched. federation-jvm fetches every representation it is
 * given, so without a bound one small request could make a subgraph load its whole table. Checked on the
 * coerced argument, so a list given inline and one given as a variable count alike.
 */
public class RepresentationsLimit extends SimplePerformantInstrumentation {

    static final String FIELD = "_entities";
    static final String ARGUMENT = "representations";

    private final int max;

    public RepresentationsLimit(int max) {
        this.max = max;
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        // A trivial fetcher (a property read) is never federation's _entities: let it go before getField(),
        // which builds the field's ExecutionStepInfo that graphql-java otherwise skips for it. Every field of
        // every change a subscription sends comes through here (profiled: 15% of executing a change).
        if (parameters.isTrivialDataFetcher() || !FIELD.equals(parameters.getField().getName()) || !onQueryType(parameters)) {
            return dataFetcher;
        }
        return env -> {
            Object representations = env.getArgument(ARGUMENT);
            if (representations instanceof Collection<?> list && list.size() > max) {
                throw ApiException.badInput("'" + ARGUMENT + "' holds " + list.size() + " entities; at most " + max
                        + " may be asked for in one call.");
            }
            return dataFetcher.get(env);
        };
    }

    private static boolean onQueryType(InstrumentationFieldFetchParameters parameters) {
        GraphQLObjectType query = parameters.getExecutionContext().getGraphQLSchema().getQueryType();
        return query != null && query.getName().equals(parameters.getExecutionStepInfo().getObjectType().getName());
    }
}
