package dev.ordergraph.platform.mutation;

import java.util.List;

/**
 * What is wrong with one input field, with every message; each service maps it to its
 * {@code FieldError} type. {@link #REQUEST} names a problem with the request as a whole.
 */
public record FieldProblem(String field, List<String> messages) {

    /** The field name of a request-wide problem, as Django names non-field errors ({@code __all__}). */
    public static final String REQUEST = "__all__";
}
