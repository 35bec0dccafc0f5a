package dev.ordergraph.orders.changes;

import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.relay.Cursor;

import java.util.List;

/**
 * Identifies one change in the log: its transaction and the LSN of its WAL record. Debezium may
 * deliver a change again after a restart (at least once); a repeat carries the same identity, which
 * is how the feed recognises it. Order is the log's delivery order (commit order), kept by the feed.
 */
public record ChangePosition(long txId, long lsn) {

    private static final String KIND = "changes";

    public String toCursor() {
        return Cursor.encode(KIND, txId, lsn);
    }

    /** The position in {@code cursor}, or {@code null} without one. */
    public static ChangePosition fromCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        List<String> keys = Cursor.decode(cursor, KIND, 2);
        return new ChangePosition(Cursor.longKey(keys.get(0)), Cursor.longKey(keys.get(1)));
    }
}
