package dev.ordergraph.platform.mutation;

import graphql.ExecutionResult;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The mutation fields of one request sharing one transaction (Graphene-Django's
 * {@code ATOMIC_MUTATIONS}). Kept in the request's GraphQL context; graphql-java runs mutation
 * fields one after another, so they never use it at the same time. When the request ends,
 * {@link #finish} commits, or rolls back and rewrites every payload to say that nothing was saved.
 */
final class AtomicRequest {

    private final DataSource dataSource;
    private final Map<String, List<Field>> fields = new LinkedHashMap<>();
    private final List<String> failed = new ArrayList<>();
    private Map<String, FragmentDefinition> fragments = Map.of();
    private WriteTransaction transaction;

    AtomicRequest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Remembers a mutation field by its result key, to find its payload in the result later. */
    synchronized void record(String resultKey, List<Field> mergedField, Map<String, FragmentDefinition> fragments) {
        fields.put(resultKey, mergedField);
        this.fragments = fragments;
    }

    synchronized boolean hasFailed() {
        return !failed.isEmpty();
    }

    synchronized void fail(String resultKey) {
        failed.add(resultKey);
    }

    /** The shared transaction, opened by the first field that writes. */
    synchronized JdbcClient jdbc() {
        if (transaction == null) {
            transaction = WriteTransaction.begin(dataSource);
        }
        return transaction.jdbc();
    }

    /** Commits when every field succeeded; otherwise rolls back and says so in every payload. */
    synchronized ExecutionResult finish(ExecutionResult result) {
        if (transaction == null) {
            return failed.isEmpty() ? result : notSaved(result, reason());
        }
        try (WriteTransaction ending = transaction) {
            transaction = null;
            if (failed.isEmpty()) {
                ending.commit();
                return result;
            }
            ending.rollback();
            return notSaved(result, reason());
        } catch (RuntimeException e) {
            // The commit itself failed (connection lost, serialization): nothing is saved either.
            return notSaved(result, "Nothing was saved: the transaction could not be committed; try again.");
        }
    }

    /** Releases the transaction of a request that ended abnormally, before any result. */
    synchronized void abandon() {
        if (transaction != null) {
            transaction.close();
            transaction = null;
        }
    }

    /**
     * Names the failed fields by position and name: a gateway may have renamed their aliases when it
     * merged the client's fields into one request, but it keeps their order.
     */
    private String reason() {
        List<String> keys = List.copyOf(fields.keySet());
        String culprits = failed.stream()
                .map(key -> "mutation field " + (keys.indexOf(key) + 1) + " (`" + fields.get(key).getFirst().getName() + "`)")
                .collect(Collectors.joining(", "));
        return "Nothing was saved: this request's mutations are atomic and " + culprits + " failed.";
    }

    private ExecutionResult notSaved(ExecutionResult result, String reason) {
        if (!(result.getData() instanceof Map<?, ?> data)) {
            return result;
        }
        Map<Object, Object> rewritten = new LinkedHashMap<>(data);
        fields.forEach((key, field) -> {
            // A field that failed says why in its own errors; the others learn it from `__all__`.
            if (!failed.contains(key) && rewritten.get(key) instanceof Map<?, ?> payload) {
                rewritten.put(key, notSaved(payload, selected(field), reason));
            }
        });
        return result.transform(builder -> builder.data(rewritten));
    }

    /** The payload with its entity cleared and a request-wide error added to {@code errors}. */
    private Map<Object, Object> notSaved(Map<?, ?> payload, Map<String, List<Field>> selection, String reason) {
        Map<Object, Object> rewritten = new LinkedHashMap<>(payload);
        selection.forEach((key, field) -> {
            switch (field.getFirst().getName()) {
                case "clientMutationId", "__typename" -> {
                }
                case "errors" -> {
                    List<Object> errors = rewritten.get(key) instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>();
                    errors.add(requestError(selected(field), reason));
                    rewritten.put(key, errors);
                }
                default -> rewritten.put(key, null); // the entity: it was not saved
            }
        });
        return rewritten;
    }

    private static Map<String, Object> requestError(Map<String, List<Field>> selection, String reason) {
        Map<String, Object> error = new LinkedHashMap<>();
        selection.forEach((key, field) -> error.put(key, switch (field.getFirst().getName()) {
            case "field" -> FieldProblem.REQUEST;
            case "messages" -> List.of(reason);
            case "__typename" -> "FieldError";
            default -> null;
        }));
        return error;
    }

    /** The sub-fields selected under {@code mergedField}, by result key, with fragments flattened. */
    private Map<String, List<Field>> selected(List<Field> mergedField) {
        Map<String, List<Field>> selection = new LinkedHashMap<>();
        for (Field field : mergedField) {
            collect(field.getSelectionSet(), selection);
        }
        return selection;
    }

    private void collect(SelectionSet set, Map<String, List<Field>> into) {
        if (set == null) {
            return;
        }
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> into.computeIfAbsent(field.getResultKey(), k -> new ArrayList<>()).add(field);
                case InlineFragment inline -> collect(inline.getSelectionSet(), into);
                case FragmentSpread spread -> {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    if (fragment != null) {
                        collect(fragment.getSelectionSet(), into);
                    }
                }
                default -> {
                }
            }
        }
    }
}
