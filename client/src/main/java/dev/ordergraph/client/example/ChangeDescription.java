package dev.ordergraph.client.example;

import dev.ordergraph.client.generated.types.ChangeAction;
import dev.ordergraph.client.generated.types.ChangeOrigin;
import dev.ordergraph.client.generated.types.ChangeOriginKind;
import dev.ordergraph.client.generated.types.Order;
import dev.ordergraph.client.generated.types.OrderChange;
import dev.ordergraph.client.generated.types.OrderField;
import dev.ordergraph.client.generated.types.User;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A change as the example prints it: what happened to which order, each changed field with its old and new
 * value, who made it, and, after the last change of a transaction, a line that says so:
 *
 * <pre>
 * Change: UPDATED T3JkZXI6NDM=  state UNPAID -&gt; PAID  by caty88 (clientMutationId orders-example)  committed 2026-05-03T09:34:10.220961Z
 * -- end of transaction
 * </pre>
 */
public final class ChangeDescription {

    /** Printed after a change whose {@code transaction.last} is true: the transaction's changes are all in. */
    public static final String END_OF_TRANSACTION = "-- end of transaction";

    private ChangeDescription() {
    }

    /** The lines printed for {@code change}: its own, then {@link #END_OF_TRANSACTION} when it ends its transaction. */
    public static List<String> lines(OrderChange change) {
        List<String> lines = new ArrayList<>(2);
        lines.add("Change: %-7s %s  %s  %s  committed %s".formatted(change.getAction(), change.getOrder().getId(),
                what(change), who(change.getOrigin()), change.getCommittedAt()));
        if (Boolean.TRUE.equals(change.getTransaction().getLast())) {
            lines.add(END_OF_TRANSACTION);
        }
        return lines;
    }

    /**
     * The changed fields, {@code old -> new}; for a created order (no {@code previous}) its values alone. A
     * deletion changes no field, so it shows the order's last values; an update that wrote the same values
     * says so.
     */
    static String what(OrderChange change) {
        Order previous = change.getPrevious();
        List<OrderField> changed = change.getChangedFields();
        if (changed.isEmpty()) {
            return change.getAction() == ChangeAction.DELETED
                    ? "was " + valuesOf(change.getOrder())
                    : "no field changed";
        }
        return changed.stream()
                .map(field -> previous == null
                        ? name(field) + " " + value(change.getOrder(), field)
                        : name(field) + " " + value(previous, field) + " -> " + value(change.getOrder(), field))
                .collect(Collectors.joining(", "));
    }

    /**
     * Who made the change: "outside the app" for a write that no mutation of the API made (psql, a batch job);
     * else its actor, or "another user" when the viewer may not know who, with the mutation's
     * clientMutationId when there is one.
     */
    static String who(ChangeOrigin origin) {
        if (origin.getKind() == ChangeOriginKind.OUTSIDE) {
            return "outside the app";
        }
        String by = "by " + (origin.getActor() == null ? "another user" : username(origin.getActor()));
        return origin.getClientMutationId() == null ? by : by + " (clientMutationId " + origin.getClientMutationId() + ")";
    }

    private static String valuesOf(Order order) {
        return Arrays.stream(OrderField.values())
                .map(field -> name(field) + " " + value(order, field))
                .collect(Collectors.joining(", "));
    }

    private static String name(OrderField field) {
        return field.name().toLowerCase(Locale.ROOT);
    }

    private static String value(Order order, OrderField field) {
        return switch (field) {
            case DATE -> String.valueOf(order.getDate());
            case STATE -> String.valueOf(order.getState());
            case USER -> order.getUser() == null ? "null" : username(order.getUser());
        };
    }

    /** The user's name; its id when the users subgraph could not resolve the name. */
    private static String username(User user) {
        return user.getUsername() != null ? user.getUsername() : user.getId();
    }
}
