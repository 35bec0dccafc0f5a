package dev.ordergraph.platform.mutation;

/**
 * A unique constraint of the database that guards an input field: its violation (also when two
 * requests race past any earlier check) becomes a field error instead of a 500.
 */
public record UniqueField(String constraint, String field, String message) {
}
