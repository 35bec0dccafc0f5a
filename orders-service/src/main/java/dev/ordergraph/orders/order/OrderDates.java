package dev.ordergraph.orders.order;

import dev.ordergraph.platform.errors.ApiException;

import java.time.LocalDate;

/**
 * The range of days an order's date may take: 1900-01-01 to 9999-12-31. The {@code Date} scalar reads any
 * well-formed ISO date ({@link DateScalar}), years of any sign included, so that a date out of this range is
 * refused here, with a message that says why: in a mutation as a field error on the date, in a filter as
 * {@code BAD_USER_INPUT} (PostgreSQL itself holds no date before 4713 BC and would fail the query).
 */
public final class OrderDates {

    public static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
    public static final LocalDate LATEST = LocalDate.of(9999, 12, 31);
    static final String OUT_OF_RANGE = "must be between " + EARLIEST + " and " + LATEST;

    private OrderDates() {
    }

    /** Whether {@code date} is in the range ({@code null}, left out, is). */
    public static boolean inRange(LocalDate date) {
        return date == null || (!date.isBefore(EARLIEST) && !date.isAfter(LATEST));
    }

    /** {@code date}, or {@code BAD_USER_INPUT} naming {@code argument} when it is out of the range. */
    public static LocalDate requireInRange(LocalDate date, String argument) {
        if (!inRange(date)) {
            throw ApiException.badInput("'" + argument + "' " + OUT_OF_RANGE + ", was " + date + ".");
        }
        return date;
    }
}
