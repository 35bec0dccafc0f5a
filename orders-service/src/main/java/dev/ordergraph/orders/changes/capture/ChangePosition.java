package dev.ordergraph.orders.changes.capture;

/**
 * Identifies one change in the log: its transaction, the LSN of its WAL record, and its place among
 * the changes of that record ({@code COPY} and multi-row inserts write many rows in one record, so
 * an LSN alone is not unique). A source may deliver a change again after a restart (at least once);
 * a repeat carries the same identity, which is how the feed recognises it.
 */
public record ChangePosition(long txId, long lsn, int ordinal) {

    /** The next change of the same WAL record. */
    public ChangePosition nextInRecord() {
        return new ChangePosition(txId, lsn, ordinal + 1);
    }

    public boolean sameRecord(ChangePosition other) {
        return other != null && txId == other.txId && lsn == other.lsn;
    }
}
