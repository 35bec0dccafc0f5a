package dev.ordergraph.orders.order;

import jakarta.validation.constraints.PastOrPresent;

import java.time.LocalDate;

/** The rule on an order's date given to a mutation: the day it was placed cannot be ahead of today. */
record OrderDate(@PastOrPresent(message = "must not be in the future") LocalDate date) {
}
