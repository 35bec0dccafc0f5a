package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.capture.CapturedChange;

import java.util.ArrayList;
import java.util.List;

/** What the feed indexes a subscriber by, so a change wakes only the subscribers it may concern. */
public sealed interface Route {

    /** Changes to one order. */
    record ByOrder(long orderId) implements Route {
        @Override
        public boolean concerns(CapturedChange change) {
            return change.orderId() == orderId;
        }
    }

    /** Changes to the orders of one owner, before or after the change (a change of owner concerns both). */
    record ByOwner(long userId) implements Route {
        @Override
        public boolean concerns(CapturedChange change) {
            return (change.before() != null && change.before().userId() == userId)
                    || (change.after() != null && change.after().userId() == userId);
        }
    }

    /** Every change (staff). */
    record All() implements Route {
        @Override
        public boolean concerns(CapturedChange change) {
            return true;
        }
    }

    /** Whether a subscriber indexed by this route may want {@code change} (visibility and filters decide the rest). */
    boolean concerns(CapturedChange change);

    /** Every route under which {@code change} is looked for. */
    static List<Route> of(CapturedChange change) {
        List<Route> routes = new ArrayList<>(4);
        routes.add(new ByOrder(change.orderId()));
        if (change.before() != null) {
            routes.add(new ByOwner(change.before().userId()));
        }
        if (change.after() != null && (change.before() == null || change.after().userId() != change.before().userId())) {
            routes.add(new ByOwner(change.after().userId()));
        }
        routes.add(new All());
        return routes;
    }
}
