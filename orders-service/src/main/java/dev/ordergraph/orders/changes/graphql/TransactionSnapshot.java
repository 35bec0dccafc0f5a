package dev.ordergraph.orders.changes.graphql;

import java.util.HashSet;
import java.util.Set;

/**
 * A PostgreSQL snapshot ({@code pg_current_snapshot()}, text form {@code xmin:xmax:xip,...}): tells
 * whether a transaction's changes were visible to a query. A subscription that starts from a query
 * drops the log events its query already saw, so an older image never follows a newer one.
 */
record TransactionSnapshot(long xmin, long xmax, Set<Long> inProgress) {

    static TransactionSnapshot parse(String text) {
        String[] parts = text.split(":", -1);
        Set<Long> xip = new HashSet<>();
        if (parts.length > 2 && !parts[2].isEmpty()) {
            for (String xid : parts[2].split(",")) {
                xip.add(Long.parseLong(xid));
            }
        }
        return new TransactionSnapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), xip);
    }

    /** Whether the query saw the changes of transaction {@code txId} (a 32-bit xid, as the log carries it). */
    boolean sees(long txId) {
        long full = widen(txId);
        return full < xmin || (full < xmax && !inProgress.contains(full));
    }

    /** A 32-bit xid as the 64-bit xid8 of the snapshot's epoch (or the previous one if it would lie ahead). */
    private long widen(long txId) {
        long epoch = xmax >>> 32;
        long full = (epoch << 32) | (txId & 0xFFFF_FFFFL);
        return full > xmax && epoch > 0 ? full - (1L << 32) : full;
    }
}
