package dev.ordergraph.orders.changes.capture;

import java.util.List;

/**
 * Where committed changes to {@code orders} come from: the replication slot read in-process (Debezium's
 * embedded engine), or in the scale-out mode the changes topic; the capture mode's configuration
 * contributes the one this replica reads. A source hands each batch to its handler in commit order and takes the batch
 * as done only when the handler returns, so a change the handler has not finished with is delivered
 * again after a restart (at least once; the feed drops repeats by {@link ChangePosition}).
 */
public interface ChangeSource {

    /** What the source hands its changes to; it returns once they are safe to acknowledge. */
    @FunctionalInterface
    interface Handler {
        void accept(List<CapturedChange> batch) throws InterruptedException;
    }

    /** Starts reading on a thread of its own and returns at once. */
    void start(Handler handler);

    /** Stops reading; no batch is handed over after it returns. */
    void stop();

    /**
     * Whether the source keeps past changes itself, so a restarted feed reads its window back from the
     * source (a Kafka topic) instead of storing it (the replication slot forgets what it delivered).
     */
    default boolean durable() {
        return false;
    }
}
