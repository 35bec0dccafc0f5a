package dev.ordergraph.platform.testing;

import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Document;
import graphql.validation.ValidationError;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** How often the GraphQL engine parsed, and validated, each document (by query text), seen as instrumentation. */
public class DocumentParses implements Instrumentation {

    private final Map<String, Integer> parses = new ConcurrentHashMap<>();
    private final Map<String, Integer> validations = new ConcurrentHashMap<>();

    public int parses(String query) {
        return parses.getOrDefault(query, 0);
    }

    public int validations(String query) {
        return validations.getOrDefault(query, 0);
    }

    @Override
    public InstrumentationContext<Document> beginParse(InstrumentationExecutionParameters parameters, InstrumentationState state) {
        parses.merge(parameters.getQuery(), 1, Integer::sum);
        return SimpleInstrumentationContext.noOp();
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
                                                                         InstrumentationState state) {
        validations.merge(parameters.getQuery(), 1, Integer::sum);
        return SimpleInstrumentationContext.noOp();
    }
}
