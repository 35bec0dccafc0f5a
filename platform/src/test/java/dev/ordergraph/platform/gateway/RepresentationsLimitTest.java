package dev.ordergraph.platform.gateway;

import com.apollographql.federation.graphqljava.Federation;
import dev.ordergraph.platform.errors.ApiDataFetcherExceptionHandler;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RepresentationsLimitTest {

    private static final String SDL = """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
            type User @key(fields: "id") { id: ID! }
            type Query { ping: String }
            """;

    private final AtomicInteger fetched = new AtomicInteger();
    private final GraphQL graphQl = GraphQL.newGraphQL(schema())
            .instrumentation(new RepresentationsLimit(3))
            .defaultDataFetcherExceptionHandler(new ApiDataFetcherExceptionHandler())
            .build();

    @Test
    void aListWithinTheLimitIsFetched() {
        ExecutionResult result = execute("query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }",
                Map.of("r", users(3)));

        assertThat(result.getErrors()).isEmpty();
        assertThat(fetched).hasValue(3);
    }

    @Test
    void aLongerListGivenAsAVariableIsRefusedBeforeAnyEntityIsFetched() {
        ExecutionResult result = execute("query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }",
                Map.of("r", users(4)));

        assertThat(result.getErrors()).singleElement().satisfies(RepresentationsLimitTest::isBadUserInput);
        assertThat(fetched).hasValue(0);
    }

    @Test
    void aLongerListGivenInlineIsRefusedAlike() {
        String inline = IntStream.rangeClosed(1, 4).mapToObj(i -> "{__typename: \"User\", id: \"" + i + "\"}").toList().toString();
        ExecutionResult result = execute("{ _entities(representations: " + inline + ") { ... on User { id } } }", Map.of());

        assertThat(result.getErrors()).singleElement().satisfies(RepresentationsLimitTest::isBadUserInput);
        assertThat(fetched).hasValue(0);
    }

    private static void isBadUserInput(GraphQLError error) {
        assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT");
        assertThat(error.getMessage()).contains("4", "at most 3");
    }

    private ExecutionResult execute(String query, Map<String, Object> variables) {
        return graphQl.execute(ExecutionInput.newExecutionInput(query).variables(variables).build());
    }

    private static List<Map<String, Object>> users(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> Map.<String, Object>of("__typename", "User", "id", String.valueOf(i))).toList();
    }

    private GraphQLSchema schema() {
        return Federation.transform(SDL, RuntimeWiring.newRuntimeWiring().build())
                .fetchEntities(env -> {
                    List<Map<String, Object>> representations = env.getArgument("representations");
                    fetched.addAndGet(representations.size());
                    return representations.stream().map(r -> Map.of("id", r.get("id"))).toList();
                })
                .resolveEntityType(env -> env.getSchema().getObjectType("User"))
                .build();
    }
}
