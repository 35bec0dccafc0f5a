package dev.ordergraph.orders.changes.capture;

import java.time.LocalDate;

/**
 * One image of an {@code orders} row as the log carried it: everything permissions and filters need.
 * The state is the text the database stores, so capture owns no copy of the API's states and a state
 * the schema does not know yet passes through capture and storage untouched.
 */
public record OrderImage(long id, LocalDate date, String state, long userId) {

    public OrderImage {
        if (date == null || state == null) {
            throw new IllegalArgumentException("An order row has a date and a state");
        }
    }
}
