package dev.ordergraph.platform.testing;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import org.springframework.http.HttpHeaders;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A subgraph as a slice test asks it: as a viewer (or nobody), and what a payload says back. */
public record GraphQl(DgsQueryExecutor executor) {

    public static final long NOBODY = -1;

    /** Runs {@code document} as {@code viewer} ({@link #NOBODY}: without a token). */
    public ExecutionResult execute(String document, long viewer, boolean staff, Map<String, Object> variables) {
        HttpHeaders headers = viewer == NOBODY ? new HttpHeaders() : TestViewers.as(viewer, staff);
        return executor.execute(document, variables, null, headers, null, null);
    }

    /** The payload of the mutation {@code field}, which must have raised no GraphQL error. */
    public Map<String, Object> payload(ExecutionResult result, String field) {
        if (!result.getErrors().isEmpty()) {
            throw new AssertionError("GraphQL errors: " + result.getErrors());
        }
        return result.<Map<String, Map<String, Object>>>getData().get(field);
    }

    /** The payload's errors as field → messages. */
    @SuppressWarnings("unchecked")
    public static Map<String, List<String>> fieldErrors(Map<String, Object> payload) {
        Map<String, List<String>> errors = new TreeMap<>();
        for (Map<String, Object> error : (List<Map<String, Object>>) payload.get("errors")) {
            errors.put((String) error.get("field"), (List<String>) error.get("messages"));
        }
        return errors;
    }

    /** The {@code code} extension of each GraphQL error. */
    public static List<Object> errorCodes(ExecutionResult result) {
        return result.getErrors().stream().map(GraphQLError::getExtensions).map(e -> e == null ? null : e.get("code")).toList();
    }

    /** {@code {input: {k1: v1, ...}}}; values may be null. */
    public static Map<String, Object> input(Object... keysAndValues) {
        Map<String, Object> input = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            input.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("input", input);
        return variables;
    }
}
