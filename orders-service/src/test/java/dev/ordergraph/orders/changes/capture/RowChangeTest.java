package dev.ordergraph.orders.changes.capture;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The one rule for what a change did, read from the images it has. */
class RowChangeTest {

    private static final OrderImage BEFORE = new OrderImage(9, LocalDate.of(2026, 3, 1), "UNPAID", 1);
    private static final OrderImage AFTER = new OrderImage(9, LocalDate.of(2026, 3, 1), "PAID", 1);

    @Test
    void bothImagesAreAnUpdateOnlyTheOneAfterACreationOnlyTheOneBeforeADeletion() {
        assertThat(RowChange.of(BEFORE, AFTER)).isEqualTo(RowChange.UPDATED);
        assertThat(RowChange.of(null, AFTER)).isEqualTo(RowChange.CREATED);
        assertThat(RowChange.of(BEFORE, null)).isEqualTo(RowChange.DELETED);
        assertThat(RowChange.of(null, null)).isNull();
    }

    @Test
    void aDeletionShowsTheLastImageAndEverythingElseTheNewOne() {
        assertThat(RowChange.DELETED.shown(BEFORE, null)).isSameAs(BEFORE);
        assertThat(RowChange.UPDATED.shown(BEFORE, AFTER)).isSameAs(AFTER);
        assertThat(RowChange.CREATED.shown(null, AFTER)).isSameAs(AFTER);
    }
}
