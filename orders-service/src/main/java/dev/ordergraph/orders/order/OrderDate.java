package dev.ordergraph.orders.order;

import dev.ordergraph.platform.mutation.InputProblems;
import jakarta.validation.Validator;
import jakarta.validation.constraints.PastOrPresent;

import java.time.LocalDate;

/**
 * The rules on an order's date given to a mutation: the day it was placed cannot be ahead of today, nor
 * outside the range orders' dates are kept in ({@link OrderDates}).
 */
record OrderDate(@PastOrPresent(message = "must not be in the future") LocalDate date) {

    static final String FIELD = "date";

    /** Adds what is wrong with this date to {@code problems}, under {@code date}. */
    InputProblems checkInto(InputProblems problems, Validator validator) {
        problems.validate(validator, this);
        if (!OrderDates.inRange(date)) {
            problems.add(FIELD, OrderDates.OUT_OF_RANGE);
        }
        return problems;
    }
}
