package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.OrdersSliceTest;
import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored window in PostgreSQL: what one process appends, the next one loads back unchanged. */
@OrdersSliceTest
class ChangeLogStoreTest {

    private static final OrderImage UNPAID = new OrderImage(42, LocalDate.of(2026, 11, 28), "UNPAID", 7);
    private static final OrderImage PAID_BY_ANOTHER = new OrderImage(42, LocalDate.of(2026, 11, 29), "PAID", 8);
    /** Microseconds: what a {@code timestamptz} keeps. */
    private static final Instant COMMITTED = Instant.parse("2026-11-28T12:00:00.123456Z");

    private static final List<SequencedChange> CHANGES = List.of(
            new SequencedChange(1, new CapturedChange(null, UNPAID, new ChangePosition(812, 31_340_800, 0), COMMITTED)),
            new SequencedChange(2, new CapturedChange(UNPAID, PAID_BY_ANOTHER, new ChangePosition(4_000_000_123L, 0x1_2345_6789L, 3), COMMITTED)),
            new SequencedChange(3, new CapturedChange(PAID_BY_ANOTHER, null, new ChangePosition(813, 31_340_900, 0), COMMITTED.plusSeconds(1),
                    new ChangeOrigin(7L, "m-1"), false)),
            new SequencedChange(4, new CapturedChange(null, UNPAID, new ChangePosition(813, 31_341_000, 0), COMMITTED.plusSeconds(1),
                    new ChangeOrigin(7L, null), true)));

    @Autowired
    ChangeLogStore store;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void empty() {
        jdbc.update("delete from order_change_log");
    }

    @Test
    void whatIsAppendedLoadsBackInOrderAsItWas() {
        store.append(CHANGES);

        assertThat(store.loadRecent(10)).isEqualTo(CHANGES);
        assertThat(store.loadRecent(2)).isEqualTo(CHANGES.subList(2, 4)); // the newest, oldest first
    }

    @Test
    void aRepeatedAppendKeepsTheFirstAndTrimmingForgetsTheOldest() {
        store.append(CHANGES.subList(0, 2));
        store.append(CHANGES.subList(1, 4)); // the engine redelivered its last batch

        assertThat(store.loadRecent(10)).isEqualTo(CHANGES);
        store.trimThrough(2);
        assertThat(store.loadRecent(10)).isEqualTo(CHANGES.subList(2, 4));
    }

    @Test
    void eachRowIsLabelledWithWhatTheChangeDidForPeopleReadingTheTable() {
        store.append(CHANGES);

        assertThat(jdbc.queryForList("select action from order_change_log order by sequence", String.class))
                .containsExactly("CREATED", "UPDATED", "DELETED", "CREATED");
    }
}
