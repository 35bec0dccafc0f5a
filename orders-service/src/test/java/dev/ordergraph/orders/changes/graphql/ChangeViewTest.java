package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.feed.SequencedChange;
import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.OrderState;
import dev.ordergraph.orders.order.OrderRow;
import dev.ordergraph.platform.security.Viewer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** What a subscriber receives of a change: visibility, owner changes, the filter on either image. */
class ChangeViewTest {

    private static final Viewer ONE = new Viewer(1, false);
    private static final Viewer STAFF = new Viewer(99, true);
    private static final ChangeCursors CURSORS = cursors("a-test-secret");

    static ChangeCursors cursors(String secret) {
        var cdc = new dev.ordergraph.orders.changes.CdcProperties(true, "s", "p", java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(10),
                "t", 100, 100, java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(200), 1000, org.springframework.util.unit.DataSize.ofKilobytes(512), secret);
        return new ChangeCursors(cdc, dev.ordergraph.platform.security.AuthProperties.withSecret(null));
    }

    private static OrderRow row(long owner, OrderState state) {
        return new OrderRow(9, LocalDate.of(2026, 3, 1), state, owner);
    }

    private static SequencedChange change(OrderRow before, OrderRow after) {
        return new SequencedChange(1, new CapturedChange(before, after, new ChangePosition(7, 100, 0), Instant.now()));
    }

    private static ChangeAction action(ChangeView view, SequencedChange change) {
        ChangeView.Delivery delivery = view.apply(change);
        return delivery == null ? null : delivery.change().getAction();
    }

    @Test
    void anOrderMovingAwayFromTheViewerIsADeletionForThemAndACreationForItsNewOwner() {
        SequencedChange away = change(row(1, OrderState.PAID), row(2, OrderState.PAID));

        assertThat(action(new ChangeView(ONE, r -> true, CURSORS), away)).isEqualTo(ChangeAction.DELETED);
        assertThat(action(new ChangeView(new Viewer(2, false), r -> true, CURSORS), away)).isEqualTo(ChangeAction.CREATED);
        assertThat(action(new ChangeView(STAFF, r -> true, CURSORS), away)).isEqualTo(ChangeAction.UPDATED);
        assertThat(action(new ChangeView(new Viewer(3, false), r -> true, CURSORS), away)).isNull();
    }

    @Test
    void aChangeIsKeptWhenTheRowBeforeOrAfterMatchesTheFilter() {
        var paid = OrderRowFilter.of(dev.ordergraph.orders.generated.types.OrderFilter.newBuilder().state(OrderState.PAID).build());
        ChangeView view = new ChangeView(ONE, paid, CURSORS);

        assertThat(action(view, change(row(1, OrderState.UNPAID), row(1, OrderState.PAID)))).isEqualTo(ChangeAction.UPDATED);
        assertThat(action(view, change(row(1, OrderState.PAID), row(1, OrderState.UNPAID)))).isEqualTo(ChangeAction.UPDATED); // leaves the filter
        assertThat(action(view, change(row(1, OrderState.UNPAID), row(1, OrderState.UNPAID)))).isNull();
        assertThat(action(view, change(row(1, OrderState.PAID), null))).isEqualTo(ChangeAction.DELETED);
    }

    @Test
    void theDeliveryCarriesTheImageTheViewerMaySeeAndAnOpaqueCursor() {
        ChangeView.Delivery delivery = new ChangeView(ONE, r -> true, CURSORS).apply(change(row(1, OrderState.PAID), row(2, OrderState.UNPAID)));

        assertThat(delivery.change().getOrder().getState()).isEqualTo(OrderState.PAID); // the last image they could see
        assertThat(CURSORS.parse(delivery.change().getCursor())).isEqualTo(new ChangePosition(7, 100, 0));
        assertThat(delivery.txId()).isEqualTo(7);
    }
}
