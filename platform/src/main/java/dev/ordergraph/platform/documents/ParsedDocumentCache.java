package dev.ordergraph.platform.documents;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated documents by query text: the gateway sends the same few documents again and again
 * (one {@code _entities} shape per selection), and parsing and validating one took a tenth of a request's
 * CPU. Bounded, least recently used first out, so clients sending ever new documents cannot grow it.
 * Documents that failed validation are kept too: they fail the same way every time.
 */
public final class ParsedDocumentCache implements PreparsedDocumentProvider {

    private final Map<String, PreparsedDocumentEntry> entries;

    public ParsedDocumentCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                      Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        PreparsedDocumentEntry entry;
        synchronized (entries) {
            entry = entries.get(query);
        }
        if (entry == null) {
            // Outside the lock, so one slow document holds up no other request; two requests that miss the
            // same document at once both parse it, which costs no more than without a cache.
            entry = parseAndValidate.apply(input);
            synchronized (entries) {
                entries.put(query, entry);
            }
        }
        return CompletableFuture.completedFuture(entry);
    }
}
