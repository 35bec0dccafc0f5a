package dev.ordergraph.platform.mutation;

import java.util.List;

/**
 * How one mutation field ended: the written entity, or the problems that stopped it. Both empty
 * when an atomic request had already failed and this field was not run.
 */
public record MutationResult<T>(T entity, List<FieldProblem> errors) {

    static <T> MutationResult<T> saved(T entity) {
        return new MutationResult<>(entity, List.of());
    }

    static <T> MutationResult<T> invalid(List<FieldProblem> problems) {
        return new MutationResult<>(null, problems);
    }

    static <T> MutationResult<T> notRun() {
        return new MutationResult<>(null, List.of());
    }
}
