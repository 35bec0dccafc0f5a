package dev.ordergraph.platform.mutation;

import java.util.ArrayList;
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

    /** These problems and {@code another}. */
    public InvalidInput and(FieldProblem another) {
        List<FieldProblem> all = new ArrayList<>(problems);
        all.add(another);
        return new InvalidInput(all);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
