package dev.ordergraph.platform.mutation;

import graphql.schema.DataFetchingEnvironment;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the work of one mutation field in a transaction: the request's shared one when mutations are
 * atomic, its own otherwise. Invalid input and violated unique constraints end as field errors in
 * the payload; anything else (e.g. {@code FORBIDDEN}) stays a GraphQL error. Either way, in an atomic
 * request nothing of it is saved, and the fields after it are not run.
 */
public class MutationRunner {

    private final DataSource dataSource;
    private final MutationProperties properties;

    public MutationRunner(DataSource dataSource, MutationProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    public <T> MutationResult<T> run(DataFetchingEnvironment env, List<UniqueField> uniqueFields, Function<JdbcClient, T> work) {
        if (!properties.atomic()) {
            return runAlone(uniqueFields, work);
        }
        AtomicRequest request = env.getGraphQlContext().computeIfAbsent(AtomicRequest.class, key -> new AtomicRequest(dataSource));
        String resultKey = env.getMergedField().getResultKey();
        request.record(resultKey, env.getMergedField().getFields(), env.getFragmentsByName());
        if (request.hasFailed()) {
            return MutationResult.notRun(); // rolled back anyway: running it would only waste a statement
        }
        try {
            return MutationResult.saved(work.apply(request.jdbc()));
        } catch (RuntimeException e) {
            request.fail(resultKey);
            return failure(e, uniqueFields);
        }
    }

    private <T> MutationResult<T> runAlone(List<UniqueField> uniqueFields, Function<JdbcClient, T> work) {
        try (WriteTransaction transaction = WriteTransaction.begin(dataSource)) {
            T entity = work.apply(transaction.jdbc());
            transaction.commit();
            return MutationResult.saved(entity);
        } catch (RuntimeException e) {
            return failure(e, uniqueFields); // closing the transaction rolled it back
        }
    }

    /** Problems with the input become the payload's errors; anything else is rethrown. */
    private static <T> MutationResult<T> failure(RuntimeException e, List<UniqueField> uniqueFields) {
        if (e instanceof InvalidInput invalid) {
            return MutationResult.invalid(invalid.problems());
        }
        if (e instanceof DataIntegrityViolationException violation) {
            String message = String.valueOf(violation.getMostSpecificCause().getMessage());
            for (UniqueField unique : uniqueFields) {
                // PostgreSQL names the constraint: duplicate key value violates unique constraint "users_email_key"
                if (message.contains('"' + unique.constraint() + '"')) {
                    return MutationResult.invalid(List.of(new FieldProblem(unique.field(), List.of(unique.message()))));
                }
            }
        }
        throw e;
    }
}
