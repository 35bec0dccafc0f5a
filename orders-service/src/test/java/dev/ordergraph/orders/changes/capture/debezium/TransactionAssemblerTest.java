package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.origin.OriginMark;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ordinals, origins and transaction ends, as the records around each change tell them. */
class TransactionAssemblerTest {

    private static LogRecord row(long id, long txId, long lsn) {
        return new LogRecord.Row(new CapturedChange(null, new OrderImage(id, LocalDate.of(2026, 1, 1), "PAID", 1),
                new ChangePosition(txId, lsn, 0), Instant.EPOCH, ChangeOrigin.OUTSIDE, false));
    }

    private static List<CapturedChange> feed(TransactionAssembler assembler, LogRecord... records) {
        List<CapturedChange> complete = new ArrayList<>();
        for (LogRecord record : records) {
            assembler.accept(record, complete);
        }
        return complete;
    }

    @Test
    void theNewestChangeIsHeldUntilTheNextRecordSaysWhetherItEndsItsTransaction() {
        TransactionAssembler assembler = new TransactionAssembler();

        List<CapturedChange> first = feed(assembler, row(1, 7, 100), row(2, 7, 200));
        assertThat(first).extracting(CapturedChange::orderId).containsExactly(1L);
        assertThat(first.getFirst().endsTransaction()).isFalse();
        assertThat(assembler.holding()).isTrue();

        List<CapturedChange> rest = feed(assembler, new LogRecord.TransactionEnd(7L));
        assertThat(rest).extracting(CapturedChange::orderId).containsExactly(2L);
        assertThat(rest.getFirst().endsTransaction()).isTrue();
        assertThat(assembler.holding()).isFalse();
    }

    @Test
    void aChangeOfAnotherTransactionEndsTheHeldOneEvenWithoutItsEndRecord() {
        TransactionAssembler assembler = new TransactionAssembler();

        List<CapturedChange> complete = feed(assembler, row(1, 7, 100), row(2, 8, 200), new LogRecord.TransactionEnd(null));
        assertThat(complete).extracting(CapturedChange::endsTransaction).containsExactly(true, true);
        assertThat(feed(assembler, new LogRecord.TransactionEnd(9L))).isEmpty(); // another transaction's end releases nothing
    }

    @Test
    void eachMarkAttributesTheChangesAfterItInItsTransactionAndNothingElse() {
        TransactionAssembler assembler = new TransactionAssembler();

        List<CapturedChange> complete = feed(assembler,
                new LogRecord.Mark(7, new OriginMark(5, "m-1")), row(1, 7, 100), row(2, 7, 110),
                new LogRecord.Mark(7, new OriginMark(5, "m-2")), row(3, 7, 120),
                new LogRecord.TransactionEnd(7L),
                row(4, 8, 200), new LogRecord.TransactionEnd(8L));

        assertThat(complete).extracting(CapturedChange::origin).containsExactly(
                new ChangeOrigin(5L, "m-1"), new ChangeOrigin(5L, "m-1"), new ChangeOrigin(5L, "m-2"), ChangeOrigin.OUTSIDE);
        assertThat(complete).extracting(CapturedChange::endsTransaction).containsExactly(false, false, true, true);
    }

    @Test
    void rowsOfOneWalRecordAreNumberedAndARestartForgetsWhatWasHeld() {
        TransactionAssembler assembler = new TransactionAssembler();

        List<CapturedChange> complete = feed(assembler, row(1, 7, 100), row(2, 7, 100), new LogRecord.TransactionEnd(7L));
        assertThat(complete).extracting(CapturedChange::position)
                .containsExactly(new ChangePosition(7, 100, 0), new ChangePosition(7, 100, 1));

        feed(assembler, new LogRecord.Mark(9, new OriginMark(5, null)), row(3, 9, 300));
        assembler.reset(); // the engine restarts from its committed offset, before the held change
        assertThat(assembler.holding()).isFalse();
        List<CapturedChange> again = feed(assembler, row(3, 9, 300), new LogRecord.TransactionEnd(9L));
        assertThat(again).extracting(CapturedChange::position).containsExactly(new ChangePosition(9, 300, 0));
        assertThat(again.getFirst().origin()).isEqualTo(ChangeOrigin.OUTSIDE); // its mark was read before the restart
    }

    @Test
    void aMarksTraceContextGoesWithTheChangesOfItsTransactionOnly() {
        TransactionAssembler assembler = new TransactionAssembler();
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        List<CapturedChange> complete = feed(assembler,
                new LogRecord.Mark(7, new OriginMark(5, "m-1", trace)), row(1, 7, 100), row(2, 7, 110),
                new LogRecord.TransactionEnd(7L), row(3, 8, 200), new LogRecord.TransactionEnd(8L));
        assertThat(complete).extracting(CapturedChange::trace).containsExactly(trace, trace, null);
    }
}
