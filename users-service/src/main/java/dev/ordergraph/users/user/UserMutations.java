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
            new InputProblems().validate(validator, user)
                    .unique(jdbc, UserRules.UNIQUE, fields(user.username(), user.email()), null)
                    .throwIfAny();
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
            problems.validate(validator, changes).rejectNull(raw, "username").rejectNull(raw, "email");
            if (id == null || !viewer.canSee(id)) {
                problems.throwIfAny(); // the input's own problems first, as before anyone's data is read
                throw ApiException.forbidden("Only the user and staff may change this user.");
            }
            // Only now, for a user the viewer may change, whether another user holds the new values.
            problems.unique(jdbc, UserRules.UNIQUE, fields(changes.username(), changes.email()), id).throwIfAny();
            return UserWrites.update(jdbc, id, changes)
                    .orElseThrow(() -> InvalidInput.of("id", "there is no user with this ID"));
        });
        return UpdateUserPayload.newBuilder()
                .user(result.entity())
                .errors(toGraphQl(result.errors()))
                .clientMutationId(input.getClientMutationId())
                .build();
    }

    /** The unique fields' values by input field name; an absent one is left out. */
    private static Map<String, Object> fields(String username, String email) {
        Map<String, Object> values = new java.util.HashMap<>();
        if (username != null) {
            values.put("username", username);
        }
        if (email != null) {
            values.put("email", email);
        }
        return values;
    }

    private static List<FieldError> toGraphQl(List<FieldProblem> problems) {
        return problems.stream()
                .map(p -> FieldError.newBuilder().field(p.field()).messages(p.messages()).build())
                .toList();
    }
}
