package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.changes.feed.SequencedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.ChangeOriginKind;
import dev.ordergraph.orders.generated.types.OrderChange;
import dev.ordergraph.orders.generated.types.OrderField;
import dev.ordergraph.orders.generated.types.OrderFilter;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.security.AuthProperties;
import dev.ordergraph.platform.security.Viewer;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** What a subscriber receives of a change: visibility, owner changes, the filter on either image. */
class ChangeViewTest {

    private static final Viewer ONE = new Viewer(1, false);
    private static final Viewer TWO = new Viewer(2, false);
    private static final Viewer STAFF = new Viewer(99, true);
    private static final ChangeCursors CURSORS = cursors("a-test-secret");

    static ChangeCursors cursors(String secret) {
        var cdc = new CdcProperties(true, "s", "p", Duration.ofMillis(10), Duration.ofSeconds(10),
                "t", 100, 100, Duration.ofSeconds(2), Duration.ofMillis(200), 1000, DataSize.ofKilobytes(512), secret);
        return new ChangeCursors(cdc, AuthProperties.withSecret(null));
    }

    private static OrderImage row(long owner, OrderState state) {
        return new OrderImage(9, LocalDate.of(2026, 3, 1), state.name(), owner);
    }

    private static SequencedChange change(OrderImage before, OrderImage after) {
        return new SequencedChange(1, new CapturedChange(before, after, new ChangePosition(7, 100, 0), Instant.now()));
    }

    private static ChangeAction action(ChangeView view, SequencedChange change) {
        ChangeView.Delivery delivery = view.deliver(change);
        return delivery == null ? null : delivery.change().getAction();
    }

    private static ChangeView everything(Viewer viewer) {
        return new ChangeView(viewer, r -> true, CURSORS);
    }

    @Test
    void anOrderMovingAwayFromTheViewerIsADeletionForThemAndACreationForItsNewOwner() {
        SequencedChange away = change(row(1, OrderState.PAID), row(2, OrderState.PAID));

        assertThat(action(everything(ONE), away)).isEqualTo(ChangeAction.DELETED);
        assertThat(action(everything(TWO), away)).isEqualTo(ChangeAction.CREATED);
        assertThat(action(everything(STAFF), away)).isEqualTo(ChangeAction.UPDATED);
        assertThat(action(everything(new Viewer(3, false)), away)).isNull();
    }

    @Test
    void theOldOwnerGetsTheLastImageTheySawAndTheNewOwnerTheFirstTheySee() {
        SequencedChange away = change(row(1, OrderState.UNPAID), row(2, OrderState.PAID));

        var old = everything(ONE).deliver(away).change().getOrder();
        var now = everything(TWO).deliver(away).change().getOrder();
        assertThat(old.getState()).isEqualTo(OrderState.UNPAID);
        assertThat(old.getUser().getId()).isEqualTo(GlobalId.encode("User", 1));
        assertThat(now.getState()).isEqualTo(OrderState.PAID);
        assertThat(now.getUser().getId()).isEqualTo(GlobalId.encode("User", 2));
    }

    @Test
    void staffSeeEveryChangeOfEveryOwnerAsItHappened() {
        assertThat(action(everything(STAFF), change(null, row(5, OrderState.UNPAID)))).isEqualTo(ChangeAction.CREATED);
        assertThat(action(everything(STAFF), change(row(5, OrderState.UNPAID), row(5, OrderState.PAID)))).isEqualTo(ChangeAction.UPDATED);
        assertThat(action(everything(STAFF), change(row(6, OrderState.PAID), null))).isEqualTo(ChangeAction.DELETED);
    }

    @Test
    void anOwnerSeesTheirOwnInsertsUpdatesAndDeletesAndNothingOfOthers() {
        assertThat(action(everything(ONE), change(null, row(1, OrderState.UNPAID)))).isEqualTo(ChangeAction.CREATED);
        assertThat(action(everything(ONE), change(row(1, OrderState.UNPAID), row(1, OrderState.PAID)))).isEqualTo(ChangeAction.UPDATED);
        assertThat(action(everything(ONE), change(row(1, OrderState.PAID), null))).isEqualTo(ChangeAction.DELETED);
        assertThat(action(everything(ONE), change(null, row(2, OrderState.UNPAID)))).isNull();
        assertThat(action(everything(ONE), change(row(2, OrderState.UNPAID), row(2, OrderState.PAID)))).isNull();
    }

    @Test
    void aChangeIsKeptWhenTheRowBeforeOrAfterMatchesTheFilter() {
        var paid = OrderRowFilter.of(OrderFilter.newBuilder().state(OrderState.PAID).build());
        ChangeView view = new ChangeView(ONE, paid, CURSORS);

        assertThat(action(view, change(row(1, OrderState.UNPAID), row(1, OrderState.PAID)))).isEqualTo(ChangeAction.UPDATED); // enters the filter
        assertThat(action(view, change(row(1, OrderState.PAID), row(1, OrderState.UNPAID)))).isEqualTo(ChangeAction.UPDATED); // leaves the filter
        assertThat(action(view, change(row(1, OrderState.UNPAID), row(1, OrderState.UNPAID)))).isNull();
        assertThat(action(view, change(row(1, OrderState.PAID), null))).isEqualTo(ChangeAction.DELETED);
        assertThat(action(view, change(null, row(1, OrderState.UNPAID)))).isNull();
    }

    @Test
    void theFilterIsMatchedOnlyAgainstTheImagesTheViewerMaySee() {
        var ownedByTwo = OrderRowFilter.of(OrderFilter.newBuilder().userId(GlobalId.encode("User", 2)).build());

        // The row after matches the filter, but belongs to someone else: not for viewer one.
        assertThat(action(new ChangeView(ONE, ownedByTwo, CURSORS), change(row(1, OrderState.PAID), row(2, OrderState.PAID)))).isNull();
        assertThat(action(new ChangeView(STAFF, ownedByTwo, CURSORS), change(row(1, OrderState.PAID), row(2, OrderState.PAID))))
                .isEqualTo(ChangeAction.UPDATED);
    }

    @Test
    void theDeliveryCarriesTheImageTheViewerMaySeeAndAnOpaqueCursor() {
        Instant committed = Instant.parse("2026-03-01T10:00:00.123Z");
        SequencedChange away = new SequencedChange(1, new CapturedChange(row(1, OrderState.PAID), row(2, OrderState.UNPAID),
                new ChangePosition(7, 100, 0), committed));
        ChangeView.Delivery delivery = everything(ONE).deliver(away);

        assertThat(delivery.change().getOrder().getState()).isEqualTo(OrderState.PAID); // the last image they could see
        assertThat(delivery.change().getOrder().getId()).isEqualTo(GlobalId.encode("Order", 9));
        assertThat(delivery.change().getOrder().getDate()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(delivery.change().getCommittedAt()).isEqualTo(committed.atOffset(ZoneOffset.UTC));
        assertThat(CURSORS.parse(delivery.change().getCursor())).isEqualTo(new ChangePosition(7, 100, 0));
        assertThat(delivery.txId()).isEqualTo(7);
    }

    private static SequencedChange made(ChangeOrigin origin, OrderImage before, OrderImage after) {
        return new SequencedChange(1, new CapturedChange(before, after, new ChangePosition(7, 100, 0),
                Instant.parse("2026-03-01T10:00:00Z"), origin, true));
    }

    @Test
    void anUpdateCarriesThePreviousImageAndTheFieldsThatDiffer() {
        OrderChange paid = everything(ONE).deliver(change(row(1, OrderState.UNPAID), row(1, OrderState.PAID))).change();

        assertThat(paid.getPrevious().getState()).isEqualTo(OrderState.UNPAID);
        assertThat(paid.getOrder().getState()).isEqualTo(OrderState.PAID);
        assertThat(paid.getChangedFields()).containsExactly(OrderField.STATE);

        OrderImage moved = new OrderImage(9, LocalDate.of(2026, 4, 2), "UNPAID", 2);
        assertThat(everything(STAFF).deliver(change(row(1, OrderState.UNPAID), moved)).change().getChangedFields())
                .containsExactly(OrderField.DATE, OrderField.USER);
        // An UPDATE that writes the same values is still an update, of nothing.
        OrderChange same = everything(ONE).deliver(change(row(1, OrderState.PAID), row(1, OrderState.PAID))).change();
        assertThat(same.getAction()).isEqualTo(ChangeAction.UPDATED);
        assertThat(same.getChangedFields()).isEmpty();
    }

    @Test
    void aCreationHasNoPreviousAndEveryFieldAndADeletionItsLastImageAndNone() {
        OrderChange created = everything(ONE).deliver(change(null, row(1, OrderState.UNPAID))).change();
        assertThat(created.getPrevious()).isNull();
        assertThat(created.getChangedFields()).containsExactly(OrderField.DATE, OrderField.STATE, OrderField.USER);

        OrderChange deleted = everything(ONE).deliver(change(row(1, OrderState.PAID), null)).change();
        assertThat(deleted.getPrevious()).isEqualTo(deleted.getOrder());
        assertThat(deleted.getChangedFields()).isEmpty();
    }

    @Test
    void anOrderArrivingFromAnotherOwnerShowsNothingOfThatOwner() {
        OrderChange arrived = everything(TWO).deliver(change(row(1, OrderState.UNPAID), row(2, OrderState.PAID))).change();

        assertThat(arrived.getAction()).isEqualTo(ChangeAction.CREATED);
        assertThat(arrived.getPrevious()).isNull();
        OrderChange left = everything(ONE).deliver(change(row(1, OrderState.UNPAID), row(2, OrderState.PAID))).change();
        assertThat(left.getAction()).isEqualTo(ChangeAction.DELETED);
        assertThat(left.getPrevious().getUser().getId()).isEqualTo(GlobalId.encode("User", 1)); // their own last image
    }

    @Test
    void whoMadeAChangeIsShownToThemAndToStaffOnly() {
        ChangeOrigin byOne = new ChangeOrigin(1L, "m-1");
        SequencedChange change = made(byOne, row(1, OrderState.UNPAID), row(1, OrderState.PAID));

        var own = everything(ONE).deliver(change).change().getOrigin();
        assertThat(own.getKind()).isEqualTo(ChangeOriginKind.API);
        assertThat(own.getClientMutationId()).isEqualTo("m-1");
        assertThat(own.getActor().getId()).isEqualTo(GlobalId.encode("User", 1));
        var staff = everything(STAFF).deliver(change).change().getOrigin();
        assertThat(staff.getClientMutationId()).isEqualTo("m-1");
        assertThat(staff.getActor().getId()).isEqualTo(GlobalId.encode("User", 1));

        // Staff changed viewer one's order: one sees that it came through the API, not who or from which request.
        var byStaff = everything(ONE).deliver(made(new ChangeOrigin(99L, "s-1"), row(1, OrderState.UNPAID), row(1, OrderState.PAID)))
                .change().getOrigin();
        assertThat(byStaff.getKind()).isEqualTo(ChangeOriginKind.API);
        assertThat(byStaff.getClientMutationId()).isNull();
        assertThat(byStaff.getActor()).isNull();

        var outside = everything(STAFF).deliver(made(ChangeOrigin.OUTSIDE, row(1, OrderState.UNPAID), row(1, OrderState.PAID)))
                .change().getOrigin();
        assertThat(outside.getKind()).isEqualTo(ChangeOriginKind.OUTSIDE);
        assertThat(outside.getActor()).isNull();
        assertThat(outside.getClientMutationId()).isNull();
    }

    @Test
    void aTransactionHasOneOpaqueIdTheSameUnderTheSameSecretAndTheFeedMarksItsLastChange() {
        SequencedChange first = change(null, row(1, OrderState.UNPAID));
        SequencedChange second = new SequencedChange(2, new CapturedChange(null, new OrderImage(10, LocalDate.of(2026, 3, 1), "PAID", 1),
                new ChangePosition(7, 101, 0), first.change().committedAt()));
        ChangeView.Delivery one = everything(ONE).deliver(first);
        ChangeView.Delivery two = everything(STAFF).deliver(second);

        String id = one.change().getTransaction().getId();
        assertThat(id).isEqualTo(two.change().getTransaction().getId()) // every change of it, whoever sees it
                .isEqualTo(cursors("a-test-secret").transactionId(7, first.change().committedAt())) // and on another replica
                .hasSize(22);
        assertThat(cursors("another-secret").transactionId(7, first.change().committedAt())).isNotEqualTo(id);
        assertThat(CURSORS.transactionId(8, first.change().committedAt())).isNotEqualTo(id);
        assertThat(one.change().getTransaction().getLast()).isFalse();

        ChangeView.Delivery last = everything(ONE).endingTransaction(one);
        assertThat(last.change().getTransaction().getLast()).isTrue();
        assertThat(last.change().getTransaction().getId()).isEqualTo(id);
        assertThat(last.change().getOrder()).isEqualTo(one.change().getOrder());
        assertThat(last.change().getCursor()).isEqualTo(one.change().getCursor());
    }
}
