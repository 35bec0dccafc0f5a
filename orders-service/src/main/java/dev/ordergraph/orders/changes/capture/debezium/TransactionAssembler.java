package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;

import java.util.List;

/**
 * Completes the changes read from the log with what only the records around them tell: each change's
 * place in its WAL record ({@link RecordOrdinals}), the origin mark a mutation wrote before it in its
 * transaction, and whether it is the transaction's last change of {@code orders}. That last is known only
 * from the record after it (another change of the same transaction, or the transaction's end), so the
 * newest change is held back until that record arrives: normally in the same batch, at worst one poll
 * interval later. One change at most is held, whatever the size of the transaction. Not thread-safe:
 * the engine's thread only.
 */
final class TransactionAssembler {

    private final RecordOrdinals ordinals = new RecordOrdinals();
    /** The newest change, until the next record says whether it ends its transaction. */
    private CapturedChange held;
    /** The transaction whose latest origin mark is {@link #origin}; -1 when none. */
    private long markedTx = -1;
    private ChangeOrigin origin = ChangeOrigin.OUTSIDE;
    /** The trace context in that mark, {@code null} when the mutation was not traced. */
    private String trace;

    /** Takes the next record; appends to {@code complete} the changes it completes, in log order. */
    void accept(LogRecord record, List<CapturedChange> complete) {
        switch (record) {
            case LogRecord.Row row -> {
                CapturedChange change = ordinals.number(row.change());
                if (change.txId() == markedTx) {
                    change = change.from(origin).tracedFrom(trace);
                }
                release(change.txId(), complete);
                held = change;
            }
            case LogRecord.Mark mark -> {
                release(mark.txId(), complete);
                markedTx = mark.txId();
                origin = new ChangeOrigin(mark.mark().actorId(), mark.mark().clientMutationId());
                trace = mark.mark().trace();
            }
            case LogRecord.TransactionEnd end -> {
                if (held != null && (end.txId() == null || end.txId() == held.txId())) {
                    complete.add(held.endingTransaction(true));
                    held = null;
                }
                markedTx = -1;
            }
        }
    }

    /** Whether a change is held back, waiting for the record after it. */
    boolean holding() {
        return held != null;
    }

    /**
     * A restarted engine reads again from its last committed offset, which never passes a held change:
     * forget what this run had, and number from the start of the next record.
     */
    void reset() {
        ordinals.reset();
        held = null;
        markedTx = -1;
        origin = ChangeOrigin.OUTSIDE;
        trace = null;
    }

    /** The held change, which a record of transaction {@code next} follows: its last one unless {@code next} is its own. */
    private void release(long next, List<CapturedChange> complete) {
        if (held != null) {
            complete.add(held.endingTransaction(held.txId() != next));
            held = null;
        }
    }
}
