package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.platform.relay.Cursor;

import java.util.List;

/** The {@code cursor} of an {@code OrderChange}: where {@code after:} resumes. */
final class ChangeCursor {

    private static final String KIND = "changes";

    private ChangeCursor() {
    }

    static String of(ChangePosition position) {
        return Cursor.encode(KIND, position.txId(), position.lsn(), position.ordinal());
    }

    /** The position in {@code cursor}, {@code null} without one; {@code BAD_USER_INPUT} when it is not a change cursor. */
    static ChangePosition parse(String cursor) {
        if (cursor == null) {
            return null;
        }
        List<String> keys = Cursor.decode(cursor, KIND, 3);
        return new ChangePosition(Cursor.longKey(keys.get(0)), Cursor.longKey(keys.get(1)), (int) Cursor.longKey(keys.get(2)));
    }
}
