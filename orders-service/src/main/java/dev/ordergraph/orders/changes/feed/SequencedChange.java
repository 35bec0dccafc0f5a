package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.capture.CapturedChange;

/**
 * A change as the feed holds it: its place in delivery (commit) order, counted by the feed and kept
 * across restarts with the window, and the change itself.
 */
public record SequencedChange(long sequence, CapturedChange change) {
}
