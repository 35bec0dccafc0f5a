package dev.ordergraph.platform.mutation;

import java.util.List;

/** Thrown inside a mutation's work when its input is invalid; becomes the payload's {@code errors}. */
public class InvalidInput extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidInput(List<FieldProblem> problems) {
        super("invalid input: " + problems, null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** One problem with one field. */
    public static InvalidInput of(String field, String message) {
        return new InvalidInput(List.of(new FieldProblem(field, List.of(message))));
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
