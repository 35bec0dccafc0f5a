package dev.ordergraph.orders.order;

import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.relay.Cursor;
import org.springframework.data.domain.Sort;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The position of an order in "newest first" order: {@code (date desc, id desc)}. Cursors carry this
 * key rather than an offset, so a page stays correct while orders are added in front of it, and the
 * query uses the {@code (date, id)} index instead of skipping rows.
 */
public record OrderKeyset(LocalDate date, long id) implements Comparable<OrderKeyset> {

    public static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("date"), Sort.Order.desc("id"));
    private static final String KIND = "orders";

    public static OrderKeyset of(OrderEntity order) {
        return new OrderKeyset(order.getDate(), order.getId());
    }

    /** Newest first: a keyset compares greater when it is newer. */
    @Override
    public int compareTo(OrderKeyset other) {
        int byDate = date.compareTo(other.date);
        return byDate != 0 ? byDate : Long.compare(id, other.id);
    }

    public String toCursor() {
        return Cursor.encode(KIND, date, id);
    }

    /** The keyset in {@code after}, or {@code null} when there is none. */
    public static OrderKeyset fromCursor(String after) {
        if (after == null) {
            return null;
        }
        List<String> keys = Cursor.decode(after, KIND, 2);
        try {
            return new OrderKeyset(LocalDate.parse(keys.get(0)), Cursor.longKey(keys.get(1)));
        } catch (DateTimeParseException e) {
            throw ApiException.badInput("'after' is not a cursor of this list.");
        }
    }
}
