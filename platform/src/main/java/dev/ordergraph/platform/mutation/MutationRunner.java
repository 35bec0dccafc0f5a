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
 * request nothing of it is saved, and the fields after it are not run. The rules every mutation shares
 * ({@link ClientMutationId}) are checked here, once for all of them, and reported with the field's own
 * problems.
 */
public class MutationRunner {

    private final DataSource dataSource;
    private final MutationProperties properties;

    public MutationRunner(DataSource dataSource, MutationProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    public <T> MutationResult<T> run(DataFetchingEnvironment env, List<UniqueField> uniqueFields, Function<JdbcClient, T> fieldWork) {
        Function<JdbcClient, T> work = withSharedRules(env, fieldWork);
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

    /**
     * {@code work}, failing with the shared rules' problems too: after the field's own checks, so the client
     * learns them all at once; whatever the work wrote is then rolled back with the rest.
     */
    private <T> Function<JdbcClient, T> withSharedRules(DataFetchingEnvironment env, Function<JdbcClient, T> work) {
        FieldProblem problem = ClientMutationId.problem(env, properties.clientMutationIdMaxLength());
        if (problem == null) {
            return work;
        }
        return jdbc -> {
            try {
                work.apply(jdbc);
            } catch (InvalidInput invalid) {
                throw invalid.and(problem);
            }
            throw new InvalidInput(List.of(problem));
        };
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
