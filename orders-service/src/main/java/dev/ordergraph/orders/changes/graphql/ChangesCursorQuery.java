package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.feed.ChangeFeed;
import com.netflix.graphql.dgs.DgsComponent;
import com.netflix.graphql.dgs.DgsDataFetchingEnvironment;
import com.netflix.graphql.dgs.DgsQuery;
import dev.ordergraph.platform.security.Viewer;

/**
 * {@code Query.changesCursor}: where the change feed stands, so a client can read its data and then
 * subscribe from before that read. graphql-transport-ws acknowledges a connection, not a subscription,
 * so without it a client cannot know when its subscription starts receiving.
 */
@DgsComponent
public class ChangesCursorQuery {

    private final ChangeFeed feed;
    private final ChangeCursors cursors;

    public ChangesCursorQuery(ChangeFeed feed, ChangeCursors cursors) {
        this.feed = feed;
        this.cursors = cursors;
    }

    @DgsQuery
    public String changesCursor(DgsDataFetchingEnvironment env) {
        Viewer.required(env); // like every orders field: signed-in viewers only
        ChangePosition newest = feed.newestPosition();
        return newest != null ? cursors.fresh(newest) : null; // fresh: says nothing of who else writes
    }
}
