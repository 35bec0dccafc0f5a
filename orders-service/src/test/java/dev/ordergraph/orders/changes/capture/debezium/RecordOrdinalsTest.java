package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class RecordOrdinalsTest {

    private static CapturedChange insert(long id, long txId, long lsn) {
        return new CapturedChange(null, new OrderImage(id, LocalDate.of(2026, 1, 1), "PAID", 1),
                new ChangePosition(txId, lsn, 0), Instant.now());
    }

    @Test
    void rowsOfOneWalRecordGetConsecutiveOrdinalsAndTheNextRecordStartsAgain() {
        RecordOrdinals ordinals = new RecordOrdinals();

        assertThat(ordinals.number(insert(1, 7, 100)).position()).isEqualTo(new ChangePosition(7, 100, 0));
        assertThat(ordinals.number(insert(2, 7, 100)).position()).isEqualTo(new ChangePosition(7, 100, 1)); // COPY: one record
        assertThat(ordinals.number(insert(3, 7, 100)).position()).isEqualTo(new ChangePosition(7, 100, 2));
        assertThat(ordinals.number(insert(4, 7, 200)).position()).isEqualTo(new ChangePosition(7, 200, 0));
        assertThat(ordinals.number(insert(5, 8, 200)).position()).isEqualTo(new ChangePosition(8, 200, 0));
    }

    @Test
    void aRestartedEngineRedeliversARecordWithTheSameOrdinals() {
        RecordOrdinals ordinals = new RecordOrdinals();
        ordinals.number(insert(1, 7, 100));
        ChangePosition second = ordinals.number(insert(2, 7, 100)).position();

        ordinals.reset();
        ordinals.number(insert(1, 7, 100));
        assertThat(ordinals.number(insert(2, 7, 100)).position()).isEqualTo(second);
    }

    @Test
    void numberingMovesOnlyThePositionTheRowsAndCommitTimeStay() {
        RecordOrdinals ordinals = new RecordOrdinals();
        ordinals.number(insert(1, 7, 100));
        CapturedChange second = insert(2, 7, 100);

        CapturedChange numbered = ordinals.number(second);
        assertThat(numbered).isEqualTo(second.at(new ChangePosition(7, 100, 1)));
        assertThat(numbered.after()).isEqualTo(second.after());
        assertThat(numbered.committedAt()).isEqualTo(second.committedAt());
    }
}
