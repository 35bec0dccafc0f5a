package dev.ordergraph.client.example;

import dev.ordergraph.client.generated.types.ChangeAction;
import dev.ordergraph.client.generated.types.ChangeOrigin;
import dev.ordergraph.client.generated.types.ChangeOriginKind;
import dev.ordergraph.client.generated.types.ChangeTransaction;
import dev.ordergraph.client.generated.types.Order;
import dev.ordergraph.client.generated.types.OrderChange;
import dev.ordergraph.client.generated.types.OrderField;
import dev.ordergraph.client.generated.types.OrderState;
import dev.ordergraph.client.generated.types.User;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The example's wording of the cases the recorded session has none of. */
class ChangeDescriptionTest {

    private static final OffsetDateTime COMMITTED = OffsetDateTime.parse("2026-05-04T10:00:00.5Z");
    private static final User CATY = User.newBuilder().id("VXNlcjo3").username("caty88").build();
    private static final User BOB = User.newBuilder().id("VXNlcjoy").username("bob_smith").build();

    @Test
    void anOwnerChangeAndANewDateShowTheirOldAndNewValuesTheOwnerByName() {
        OrderChange change = change(ChangeAction.UPDATED, order(LocalDate.of(2026, 5, 1), CATY), order(LocalDate.of(2026, 5, 4), BOB),
                List.of(OrderField.DATE, OrderField.USER), origin(ChangeOriginKind.API, "staffer", "reassign-7"), false);

        assertThat(ChangeDescription.lines(change)).containsExactly(
                "Change: UPDATED T3JkZXI6NDM=  date 2026-05-01 -> 2026-05-04, user caty88 -> bob_smith"
                        + "  by staffer (clientMutationId reassign-7)  committed 2026-05-04T10:00:00.500Z");
    }

    @Test
    void anUpdateThatWroteTheSameValuesSaysNoFieldChanged() {
        OrderChange change = change(ChangeAction.UPDATED, order(LocalDate.of(2026, 5, 1), CATY), order(LocalDate.of(2026, 5, 1), CATY),
                List.of(), origin(ChangeOriginKind.OUTSIDE, null, null), true);

        assertThat(ChangeDescription.what(change)).isEqualTo("no field changed");
        assertThat(ChangeDescription.lines(change)).last().isEqualTo(ChangeDescription.END_OF_TRANSACTION);
    }

    @Test
    void anotherUsersMutationIsNamedAsSuchAndItsClientMutationIdKeptWhenGiven() {
        assertThat(ChangeDescription.who(origin(ChangeOriginKind.API, null, null))).isEqualTo("by another user");
        assertThat(ChangeDescription.who(origin(ChangeOriginKind.API, null, "batch-3"))).isEqualTo("by another user (clientMutationId batch-3)");
        assertThat(ChangeDescription.who(origin(ChangeOriginKind.OUTSIDE, null, null))).isEqualTo("outside the app");
    }

    @Test
    void anActorWhoseNameCouldNotBeResolvedIsShownByItsId() {
        ChangeOrigin origin = ChangeOrigin.newBuilder().kind(ChangeOriginKind.API).actor(User.newBuilder().id("VXNlcjo5").build()).build();

        assertThat(ChangeDescription.who(origin)).isEqualTo("by VXNlcjo5");
    }

    private static Order order(LocalDate date, User owner) {
        return Order.newBuilder().id("T3JkZXI6NDM=").date(date).state(OrderState.PAID).user(owner).build();
    }

    private static ChangeOrigin origin(ChangeOriginKind kind, String actor, String clientMutationId) {
        return ChangeOrigin.newBuilder().kind(kind).clientMutationId(clientMutationId)
                .actor(actor == null ? null : User.newBuilder().id("VXNlcjo0").username(actor).build()).build();
    }

    private static OrderChange change(ChangeAction action, Order previous, Order order, List<OrderField> changed,
                                      ChangeOrigin origin, boolean last) {
        return OrderChange.newBuilder().action(action).previous(previous).order(order).changedFields(changed).origin(origin)
                .transaction(ChangeTransaction.newBuilder().id("dHgx").committedAt(COMMITTED).last(last).build())
                .cursor("c1").committedAt(COMMITTED).build();
    }
}
