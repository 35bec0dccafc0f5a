package dev.ordergraph.platform.mutation;

import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.relay.GlobalId;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects every problem with a mutation's input before anything is written, so the client learns
 * all of them at once, each under the input field's name.
 */
public final class InputProblems {

    // Sorted messages: Bean Validation reports violations in no particular order.
    private final Map<String, Set<String>> byField = new LinkedHashMap<>();

    public InputProblems add(String field, String message) {
        byField.computeIfAbsent(field, f -> new TreeSet<>()).add(message);
        return this;
    }

    /** Every constraint violation of {@code input}, under its property name. */
    public <T> InputProblems validate(Validator validator, T input) {
        for (ConstraintViolation<T> violation : validator.validate(input)) {
            add(violation.getPropertyPath().toString(), violation.getMessage());
        }
        return this;
    }

    /**
     * The database id in {@code globalId}, or {@code null} when it is absent; a malformed ID or
     * one of another type is a problem of {@code field}.
     */
    public Long globalId(String field, String globalId, String expectedType) {
        if (globalId == null) {
            return null;
        }
        try {
            return GlobalId.decode(globalId, expectedType);
        } catch (ApiException e) {
            add(field, e.getMessage());
            return null;
        }
    }

    /** An explicit {@code null} given for a field that may be left out but not cleared. */
    public InputProblems rejectNull(Map<String, Object> rawInput, String field) {
        if (rawInput.containsKey(field) && rawInput.get(field) == null) {
            add(field, "must not be null; leave the field out to keep its value");
        }
        return this;
    }

    /**
     * Like Django's {@code validate_unique}: each unique field whose value is given and has no problem of
     * its own yet is a problem when a row other than {@code excludeId} (the one being updated, or
     * {@code null}) already holds that value. Run inside the mutation's transaction, after the other
     * checks, so one answer carries every problem; a concurrent insert of the same value is still caught
     * by the constraint itself.
     */
    public InputProblems unique(JdbcClient jdbc, List<UniqueField> uniqueFields, Map<String, ?> values, Long excludeId) {
        for (UniqueField unique : uniqueFields) {
            Object value = values.get(unique.field());
            if (value == null || byField.containsKey(unique.field())) {
                continue;
            }
            boolean taken = jdbc.sql("select exists (select 1 from " + unique.table() + " where " + unique.column()
                            + " = :value and (cast(:exclude as bigint) is null or id <> :exclude))")
                    .param("value", value)
                    .param("exclude", excludeId, java.sql.Types.BIGINT)
                    .query(Boolean.class)
                    .single();
            if (taken) {
                add(unique.field(), unique.message());
            }
        }
        return this;
    }

    /** Ends the mutation's work with these problems, if there are any. */
    public void throwIfAny() {
        if (!byField.isEmpty()) {
            List<FieldProblem> problems = new ArrayList<>();
            byField.forEach((field, messages) -> problems.add(new FieldProblem(field, List.copyOf(messages))));
            throw new InvalidInput(problems);
        }
    }
}
