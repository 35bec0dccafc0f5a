package dev.ordergraph.orders.order;

import com.netflix.graphql.dgs.DgsComponent;
import com.netflix.graphql.dgs.DgsDataFetchingEnvironment;
import com.netflix.graphql.dgs.DgsMutation;
import com.netflix.graphql.dgs.InputArgument;
import dev.ordergraph.orders.generated.DgsConstants;
import dev.ordergraph.orders.generated.types.CreateOrderInput;
import dev.ordergraph.orders.generated.types.CreateOrderPayload;
import dev.ordergraph.orders.generated.types.DeleteOrderInput;
import dev.ordergraph.orders.generated.types.DeleteOrderPayload;
import dev.ordergraph.orders.generated.types.FieldError;
import dev.ordergraph.orders.generated.types.Order;
import dev.ordergraph.orders.generated.types.UpdateOrderInput;
import dev.ordergraph.orders.generated.types.UpdateOrderPayload;
import dev.ordergraph.orders.origin.OriginMark;
import dev.ordergraph.orders.user.UserDirectory;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.mutation.FieldProblem;
import dev.ordergraph.platform.mutation.InputProblems;
import dev.ordergraph.platform.mutation.InvalidInput;
import dev.ordergraph.platform.mutation.MutationResult;
import dev.ordergraph.platform.mutation.MutationRunner;
import dev.ordergraph.platform.security.Viewer;
import dev.ordergraph.platform.tracing.TraceParent;
import jakarta.validation.Validator;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;

/**
 * {@code createOrder}, {@code updateOrder} and {@code deleteOrder}. Permission checks run inside the
 * runner's work, on the row locked for the write, so a refused field also rolls back the rest of an
 * atomic request. An order given to another user names one the users subgraph knows ({@link UserDirectory}):
 * there is no foreign key across the two databases to say so. Each field marks its transaction with its
 * origin ({@link OriginMark}) before it writes, so its changes reach subscribers as made by this API.
 */
@DgsComponent
public class OrderMutations {

    private static final String ORDER = DgsConstants.ORDER.TYPE_NAME;
    private static final String USER = DgsConstants.USER.TYPE_NAME;

    private static final String USER_ID = "userId";

    private final MutationRunner mutations;
    private final Validator validator;
    private final UserDirectory users;

    public OrderMutations(MutationRunner mutations, Validator validator, UserDirectory users) {
        this.mutations = mutations;
        this.validator = validator;
        this.users = users;
    }

    @DgsMutation
    public CreateOrderPayload createOrder(@InputArgument CreateOrderInput input, DgsDataFetchingEnvironment env) {
        MutationResult<OrderRow> result = mutations.run(env, List.of(), jdbc -> {
            Viewer viewer = Viewer.required(env);
            new OriginMark(viewer.userId(), input.getClientMutationId(), TraceParent.current()).write(jdbc); // before its writes: see OriginMark
            InputProblems problems = new InputProblems();
            Long userId = problems.globalId(USER_ID, input.getUserId(), USER);
            new OrderDate(input.getDate()).checkInto(problems, validator).throwIfAny();
            long owner = userId == null ? viewer.userId() : userId;
            if (owner != viewer.userId()) {
                if (!viewer.staff()) {
                    throw ApiException.forbidden("Only staff may place an order for another user.");
                }
                requireUser(owner);
            }
            return OrderWrites.insert(jdbc, input.getDate(), input.getState(), owner);
        });
        return CreateOrderPayload.newBuilder()
                .order(order(result))
                .errors(toGraphQl(result.errors()))
                .clientMutationId(input.getClientMutationId())
                .build();
    }

    @DgsMutation
    public UpdateOrderPayload updateOrder(@InputArgument UpdateOrderInput input, DgsDataFetchingEnvironment env) {
        Map<String, Object> raw = env.getArgument("input");
        MutationResult<OrderRow> result = mutations.run(env, List.of(), jdbc -> {
            Viewer viewer = Viewer.required(env);
            new OriginMark(viewer.userId(), input.getClientMutationId(), TraceParent.current()).write(jdbc); // before its writes: see OriginMark
            InputProblems problems = new InputProblems();
            Long id = problems.globalId("id", input.getId(), ORDER);
            Long userId = problems.globalId(USER_ID, input.getUserId(), USER);
            new OrderDate(input.getDate()).checkInto(problems, validator)
                    .rejectNull(raw, OrderDate.FIELD).rejectNull(raw, "state").rejectNull(raw, USER_ID)
                    .throwIfAny();
            OrderRow current = changeable(jdbc, id, viewer);
            if (userId != null && userId != current.userId()) {
                if (!viewer.staff()) {
                    throw ApiException.forbidden("Only staff may move an order to another user.");
                }
                if (userId != viewer.userId()) {
                    requireUser(userId);
                }
            }
            return OrderWrites.update(jdbc, id, input.getDate(), input.getState(), userId);
        });
        return UpdateOrderPayload.newBuilder()
                .order(order(result))
                .errors(toGraphQl(result.errors()))
                .clientMutationId(input.getClientMutationId())
                .build();
    }

    @DgsMutation
    public DeleteOrderPayload deleteOrder(@InputArgument DeleteOrderInput input, DgsDataFetchingEnvironment env) {
        MutationResult<OrderRow> result = mutations.run(env, List.of(), jdbc -> {
            Viewer viewer = Viewer.required(env);
            new OriginMark(viewer.userId(), input.getClientMutationId(), TraceParent.current()).write(jdbc); // before its writes: see OriginMark
            InputProblems problems = new InputProblems();
            Long id = problems.globalId("id", input.getId(), ORDER);
            problems.throwIfAny();
            OrderRow current = changeable(jdbc, id, viewer);
            OrderWrites.delete(jdbc, id);
            return current;
        });
        Order deleted = order(result);
        return DeleteOrderPayload.newBuilder()
                .order(deleted)
                .deletedOrderId(deleted == null ? null : deleted.getId())
                .errors(toGraphQl(result.errors()))
                .clientMutationId(input.getClientMutationId())
                .build();
    }

    /** A field error on {@code userId} unless the users subgraph knows this user; {@code SERVICE_UNAVAILABLE} when it cannot say. */
    private void requireUser(long userId) {
        if (!users.exists(userId)) {
            throw InvalidInput.of(USER_ID, "there is no user with this ID");
        }
    }

    /** The order, locked; a field error when there is none, {@code FORBIDDEN} when it is not the viewer's to change. */
    private static OrderRow changeable(JdbcClient jdbc, long id, Viewer viewer) {
        OrderRow current = OrderWrites.lock(jdbc, id).orElseThrow(() -> InvalidInput.of("id", "there is no order with this ID"));
        if (!viewer.canSee(current.userId())) {
            throw ApiException.forbidden("Only the order's owner and staff may change it.");
        }
        return current;
    }

    /** The saved (or, for a delete, last) image of the order; {@code null} when nothing was saved. */
    private static Order order(MutationResult<OrderRow> result) {
        return result.entity() == null ? null : result.entity().toGraphQl();
    }

    private static List<FieldError> toGraphQl(List<FieldProblem> problems) {
        return problems.stream()
                .map(p -> FieldError.newBuilder().field(p.field()).messages(p.messages()).build())
                .toList();
    }
}
