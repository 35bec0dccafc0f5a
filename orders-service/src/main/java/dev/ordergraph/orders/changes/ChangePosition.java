package dev.ordergraph.orders.changes;

import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.relay.Cursor;

import java.util.List;

/**
 * Identifies one change in the log: its transaction, the LSN of its WAL record, and its place among
 * the changes of that record ({@code COPY} and multi-row inserts write many rows in one record, so
 * an LSN alone is not unique). Debezium may deliver a change again after a restart (at least once);
 * a repeat carries the same identity, which is how the feed recognises it. Order is the log's
 * delivery order (commit order), kept by the feed.
 */
public record ChangePosition(long txId, long lsn, int ordinal) {

    private static final String KIND = "changes";

    /** The next change of the same WAL record. */
    ChangePosition nextInRecord() {
        return new ChangePosition(txId, lsn, ordinal + 1);
    }

    boolean sameRecord(ChangePosition other) {
        return other != null && txId == other.txId && lsn == other.lsn;
    }

    public String toCursor() {
        return Cursor.encode(KIND, txId, lsn, ordinal);
    }

    /** The position in {@code cursor}, or {@code null} without one. */
    public static ChangePosition fromCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        List<String> keys = Cursor.decode(cursor, KIND, 3);
        return new ChangePosition(Cursor.longKey(keys.get(0)), Cursor.longKey(keys.get(1)), (int) Cursor.longKey(keys.get(2)));
    }
}
