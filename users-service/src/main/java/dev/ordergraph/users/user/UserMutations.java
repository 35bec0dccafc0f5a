package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsComponent;
import com.netflix.graphql.dgs.DgsDataFetchingEnvironment;
import com.netflix.graphql.dgs.DgsMutation;
import com.netflix.graphql.dgs.InputArgument;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.mutation.FieldProblem;
import dev.ordergraph.platform.mutation.InputProblems;
import dev.ordergraph.platform.mutation.InvalidInput;
import dev.ordergraph.platform.mutation.MutationResult;
import dev.ordergraph.platform.mutation.MutationRunner;
import dev.ordergraph.platform.security.Viewer;
import dev.ordergraph.users.generated.DgsConstants;
import dev.ordergraph.users.generated.types.CreateUserInput;
import dev.ordergraph.users.generated.types.CreateUserPayload;
import dev.ordergraph.users.generated.types.FieldError;
import dev.ordergraph.users.generated.types.UpdateUserInput;
import dev.ordergraph.users.generated.types.UpdateUserPayload;
import dev.ordergraph.users.generated.types.User;
import jakarta.validation.Validator;

import java.util.List;
import java.util.Map;

/**
 * {@code createUser} and {@code updateUser}. Everything, permission checks included, happens inside
 * the runner's work, so a refused field also rolls back the rest of an atomic request.
 */
@DgsComponent
public class UserMutations {

    private final MutationRunner mutations;
    private final Validator validator;

    public UserMutations(MutationRunner mutations, Validator validator) {
        this.mutations = mutations;
        this.validator = validator;
    }

    @DgsMutation
    public CreateUserPayload createUser(@InputArgument CreateUserInput input, DgsDataFetchingEnvironment env) {
        MutationResult<User> result = mutations.run(env, UserRules.UNIQUE, jdbc -> {
            if (!Viewer.required(env).staff()) {
                throw ApiException.forbidden("Only staff may create users.");
            }
            NewUser user = new NewUser(input.getUsername(), input.getEmail());
            new InputProblems().validate(validator, user).throwIfAny();
            return UserWrites.insert(jdbc, user);
        });
        return CreateUserPayload.newBuilder()
                .user(result.entity())
                .errors(toGraphQl(result.errors()))
                .clientMutationId(input.getClientMutationId())
                .build();
    }

    @DgsMutation
    public UpdateUserPayload updateUser(@InputArgument UpdateUserInput input, DgsDataFetchingEnvironment env) {
        Map<String, Object> raw = env.getArgument("input");
        MutationResult<User> result = mutations.run(env, UserRules.UNIQUE, jdbc -> {
            Viewer viewer = Viewer.required(env);
            InputProblems problems = new InputProblems();
            Long id = problems.globalId("id", input.getId(), DgsConstants.USER.TYPE_NAME);
            UserChanges changes = new UserChanges(input.getUsername(), input.getEmail());
            problems.validate(validator, changes).rejectNull(raw, "username").rejectNull(raw, "email").throwIfAny();
            if (!viewer.canSee(id)) {
                throw ApiException.forbidden("Only the user and staff may change this user.");
            }
            return UserWrites.update(jdbc, id, changes)
                    .orElseThrow(() -> InvalidInput.of("id", "there is no user with this ID"));
        });
        return UpdateUserPayload.newBuilder()
                .user(result.entity())
                .errors(toGraphQl(result.errors()))
                .clientMutationId(input.getClientMutationId())
                .build();
    }

    private static List<FieldError> toGraphQl(List<FieldProblem> problems) {
        return problems.stream()
                .map(p -> FieldError.newBuilder().field(p.field()).messages(p.messages()).build())
                .toList();
    }
}
