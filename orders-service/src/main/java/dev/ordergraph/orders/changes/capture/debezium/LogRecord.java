package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.origin.OriginMark;

/** What one of Debezium's records says, as far as the capture of {@code orders} cares. */
sealed interface LogRecord {

    /** A row change of {@code orders}, not yet numbered, attributed nor known to end its transaction. */
    record Row(CapturedChange change) implements LogRecord {
    }

    /** A mutation's mark: what transaction {@code txId} writes next comes from it. */
    record Mark(long txId, OriginMark mark) implements LogRecord {
    }

    /**
     * A transaction committed: Debezium's transaction metadata, right after the transaction's last change.
     *
     * @param txId the transaction, or {@code null} when its id does not name one
     */
    record TransactionEnd(Long txId) implements LogRecord {
    }
}
