package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;

/**
 * Numbers the changes of one WAL record. Debezium gives every row of a {@code COPY} or multi-row
 * {@code INSERT} the same transaction and LSN; their order within the record is the order the engine
 * delivers them, so consecutive changes of one record get ordinals 0, 1, 2, ... and each change a
 * position of its own. Not thread-safe: the engine's thread only.
 */
final class RecordOrdinals {

    private ChangePosition previous;

    /** {@code change} (decoded with ordinal 0) at its place in its record. */
    CapturedChange number(CapturedChange change) {
        CapturedChange numbered = change.position().sameRecord(previous) ? change.at(previous.nextInRecord()) : change;
        previous = numbered.position();
        return numbered;
    }

    /** A restarted engine delivers whole records again: count from the start of the next one. */
    void reset() {
        previous = null;
    }
}
