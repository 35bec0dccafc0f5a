package dev.ordergraph.platform.documents;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.parser.Parser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ParsedDocumentCacheTest {

    private final List<String> parsed = new ArrayList<>();

    @Test
    void aDocumentIsParsedOnceAndTheSameEntryServedAfterwards() {
        ParsedDocumentCache cache = new ParsedDocumentCache(10);

        PreparsedDocumentEntry first = get(cache, "{ a }");
        PreparsedDocumentEntry second = get(cache, "{ a }");

        assertThat(second).isSameAs(first);
        assertThat(parsed).containsExactly("{ a }");
    }

    @Test
    void whenFullTheLeastRecentlyUsedDocumentLeaves() {
        ParsedDocumentCache cache = new ParsedDocumentCache(2);
        get(cache, "{ a }");
        get(cache, "{ b }");
        get(cache, "{ a }"); // a used after b

        get(cache, "{ c }");
        get(cache, "{ a }");
        get(cache, "{ b }");

        assertThat(parsed).containsExactly("{ a }", "{ b }", "{ c }", "{ b }");
    }

    @Test
    void aCacheHoldsAtLeastOneDocument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ParsedDocumentCache(0));
    }

    private PreparsedDocumentEntry get(ParsedDocumentCache cache, String query) {
        return cache.getDocumentAsync(ExecutionInput.newExecutionInput(query).build(), input -> {
            parsed.add(input.getQuery());
            return new PreparsedDocumentEntry(Parser.parse(input.getQuery()));
        }).join();
    }
}
