package dev.ordergraph.users;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.testing.DocumentParses;
import dev.ordergraph.platform.testing.GraphQl;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import java.util.List;
import java.util.Map;

import static dev.ordergraph.platform.testing.GraphQl.NOBODY;
import static org.assertj.core.api.Assertions.assertThat;

/** A document the gateway sends again is parsed and validated once, on the path requests take. */
@UsersSliceTest
@Import(DocumentParses.class)
class ParsedDocumentsTest {

    private static final String ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { username } } }";

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    DocumentParses documents;

    @Test
    void theSameDocumentTwiceIsParsedAndValidatedOnce() {
        GraphQl graphQl = new GraphQl(executor);

        ExecutionResult first = graphQl.execute(ENTITIES, NOBODY, false, representations(1));
        ExecutionResult second = graphQl.execute(ENTITIES, NOBODY, false, representations(2));

        assertThat(first.getErrors()).isEmpty();
        assertThat(second.getErrors()).isEmpty();
        assertThat(documents.parses(ENTITIES)).isEqualTo(1);
        assertThat(documents.validations(ENTITIES)).isEqualTo(1);
    }

    @Test
    void anInvalidDocumentFailsTheSameWayEachTime() {
        String invalid = "{ me { noSuchField } }";
        GraphQl graphQl = new GraphQl(executor);

        ExecutionResult first = graphQl.execute(invalid, NOBODY, false, Map.of());
        ExecutionResult second = graphQl.execute(invalid, NOBODY, false, Map.of());

        assertThat(first.getErrors()).isNotEmpty();
        assertThat(second.getErrors()).extracting(GraphQLError::getMessage)
                .isEqualTo(first.getErrors().stream().map(GraphQLError::getMessage).toList());
        assertThat(documents.validations(invalid)).isEqualTo(1);
    }

    private static Map<String, Object> representations(long userId) {
        return Map.of("r", List.of(Map.of("__typename", "User", "id", GlobalId.encode("User", userId))));
    }
}
