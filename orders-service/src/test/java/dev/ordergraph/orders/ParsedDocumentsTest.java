package dev.ordergraph.orders;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.platform.testing.DocumentParses;
import dev.ordergraph.platform.testing.GraphQl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import java.util.Map;

import static dev.ordergraph.platform.testing.GraphQl.NOBODY;
import static org.assertj.core.api.Assertions.assertThat;

/** A document sent again is parsed and validated once, on the path requests take. */
@OrdersSliceTest
@Import(DocumentParses.class)
class ParsedDocumentsTest {

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    DocumentParses documents;

    @Test
    void theSameDocumentTwiceIsParsedAndValidatedOnce() {
        String document = "query Twice { __typename }";
        GraphQl graphQl = new GraphQl(executor);

        assertThat(graphQl.execute(document, NOBODY, false, Map.of()).getErrors()).isEmpty();
        assertThat(graphQl.execute(document, NOBODY, false, Map.of()).getErrors()).isEmpty();

        assertThat(documents.parses(document)).isEqualTo(1);
        assertThat(documents.validations(document)).isEqualTo(1);
    }
}
