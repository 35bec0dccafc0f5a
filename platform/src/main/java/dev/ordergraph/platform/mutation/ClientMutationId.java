package dev.ordergraph.platform.mutation;

import graphql.schema.DataFetchingEnvironment;

import java.util.List;
import java.util.Map;

/** The rule every mutation's {@code input.clientMutationId} meets, whichever service and field it is. */
final class ClientMutationId {

    static final String FIELD = "clientMutationId";

    private ClientMutationId() {
    }

    /** What is wrong with the field's {@code clientMutationId}, or {@code null} when nothing is. */
    static FieldProblem problem(DataFetchingEnvironment env, int maxLength) {
        Object input = env.getArgument("input");
        if (input instanceof Map<?, ?> map && map.get(FIELD) instanceof String id && id.length() > maxLength) {
            return new FieldProblem(FIELD, List.of("must be at most " + maxLength + " characters, was " + id.length()));
        }
        return null;
    }
}
